/* store_purge: retention of requester data (PIPL: personal information kept
 * no longer than its purpose needs). Each channel keeps a closed case's
 * personal data for its retention period (days; STORE_RETENTION_DEFAULT
 * unless set); a purge then erases it from the cases closed before a date
 * and past their channel's period: the requester's name and phone, the
 * description they gave, the title (which names places and people too),
 * the place, the Open311 answers and photo links, the attachments' bytes,
 * the free text of every event (kept as its keyed digest, so every hash
 * chain still verifies), the messages sent about the case, the 码上评
 * evaluation that made it (comment, address, device) and the caller's
 * phone wherever the access log wrote it (masked); each log row rewritten
 * is noted in its chain (store_chain.h). SQLite's search index is merged
 * afterwards, so no deleted word stays in its older segments. What the figures count — channel, class, category, township,
 * units, times, satisfaction, the packed metrics — stays: statistics and
 * rankings do not change. */
#ifndef DUBAN_STORE_PURGE_H
#define DUBAN_STORE_PURGE_H

#include "store/store.h"

#define STORE_RETENTION_DEFAULT 1826 /* five years */
/* What a purged case is called: its title named places and people too. */
#define STORE_PURGED_TITLE "（已按保存期限删除）"
#define STORE_RETENTION_MIN 30

/* The period of every channel, set or default. */
int store_retention_get(store *s, int days[CH_COUNT], err *e);
/* days in [STORE_RETENTION_MIN, 36500] (ERR_INVALID naming "days"). */
int store_retention_set(store *s, case_channel ch, int days, err *e);

typedef struct store_purge_result {
    int64_t cases;       /* cases whose requester data was erased */
    int64_t events;      /* events whose free text was erased */
    int64_t attachments; /* attachments whose bytes were erased */
    int64_t kept;        /* events from before schema 8, whose text cannot be erased */
} store_purge_result;

/* Erases as above from every closed case, not yet purged, closed before
 * `before` and before `now` less its channel's period; a batch of cases per
 * transaction, so an interrupted purge leaves whole cases and the next run
 * goes on. dry_run: counts, writes nothing. */
int store_purge(store *s, int64_t before, int64_t now, bool dry_run, store_purge_result *out, err *e);

#endif
