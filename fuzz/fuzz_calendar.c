/* The holiday-cn JSON a calendar import takes (POST /api/v1/calendar,
 * duban calendar import): cal_year_parse on any bytes. */
#include <stdint.h>

#include "core/calendar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    cal_year y;
    err e = {0};
    if (cal_year_parse((const char *)data, size, &y, &e) == 0) cal_year_clear(&y);
    return 0;
}
