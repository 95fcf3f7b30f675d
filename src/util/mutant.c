/* mutant: see mutant.h. */
#include "util/mutant.h"

#ifdef DUBAN_MUTANTS
#include <stdlib.h>
#include <string.h>

bool mutant_on(const char *name) {
    const char *m = getenv("DUBAN_MUTANT");
    return m && strcmp(m, name) == 0;
}
#else
typedef int mutant_unused; /* (an empty file is not a C translation unit) */
#endif
