/* mutant: switches that turn a security check off, in the test build
 * only, so that `make test` shows each check is tested (tests/mutants.sh):
 * with DUBAN_MUTANT naming a check in the server's environment, that check
 * behaves as if it were not written, and the suite that guards it must
 * fail. Only the test flavour is built with -DDUBAN_MUTANTS; in every other
 * build MUTANT(x) is false and costs nothing. The checks: scope (a unit's
 * clerk held to its unit's cases), masking (who sees a phone), roles (the
 * router's table), csrf (the session's token on a write), public (what
 * the public may read of a case). */
#ifndef DUBAN_MUTANT_H
#define DUBAN_MUTANT_H

#include <stdbool.h>

#ifdef DUBAN_MUTANTS
bool mutant_on(const char *name);
#define MUTANT(name) mutant_on(name)
#else
#define MUTANT(name) false
#endif

#endif
