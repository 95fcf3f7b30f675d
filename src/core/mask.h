/* mask: how personal data is shown to those who may not see it in full. */
#ifndef DUBAN_MASK_H
#define DUBAN_MASK_H

#include <stddef.h>

/* "张三丰" -> "张**": the first character (UTF-8 aware) and two stars, so the
 * length of the name is not revealed either. */
void mask_name(const char *name, char *out, size_t outsz);
/* "13812341234" -> "138****1234" (a +86 prefix is dropped first); numbers of
 * 7-10 digits show only their last 4; shorter ones nothing. */
void mask_phone(const char *phone, char *out, size_t outsz);

#endif
