/* view: what each audience may see of a case — the one rule every output
 * goes through (the API, Open311, later the public pages).
 *
 * Staff see a case with the requester's contact details in full
 * (VIEW_CONTACT: intake and dispatch) or masked (VIEW_MASKED; a confidential
 * case not even masked). The public sees only public cases, and of them
 * only what was meant for it: a case is public when it is not confidential
 * and either came in through a public channel (by configuration; default
 * open311 and qr) or a dispatcher published it with a public summary. The
 * public reads the category, status, unit, dates and the public summary or
 * reply — or, for a public channel's own case, what its requester wrote —
 * and every such text passes through view_scrub. A scrubber cannot find
 * names and addresses: that is why a case from any other channel shows the
 * public only a summary written to be public, never its raw description. */
#ifndef DUBAN_VIEW_H
#define DUBAN_VIEW_H

#include <jansson.h>
#include <stdbool.h>

#include "core/case.h"
#include "util/err.h"

typedef enum { VIEW_PUBLIC, VIEW_MASKED, VIEW_CONTACT } case_view;

/* The public channels, a bit per case_channel. */
typedef unsigned view_channels;
#define VIEW_CHANNEL(ch) (1u << (ch))
#define VIEW_CHANNELS_DEFAULT (VIEW_CHANNEL(CH_OPEN311) | VIEW_CHANNEL(CH_QR))
#define VIEW_CHANNELS_DEFAULT_TEXT "open311,qr"

/* "open311,qr" -> bits; "" is no channel; an unknown name is ERR_INVALID. */
int view_channels_parse(const char *list, view_channels *out, err *e);

bool case_is_public(const case_rec *c, view_channels pub);

/* The text the public may read as the case's description: the public
 * summary, else (a public channel's case) its description or title; scrubbed,
 * malloc'd; NULL when there is none or the case is not public. */
char *view_public_description(const case_rec *c, view_channels pub);
/* The public reply, scrubbed and malloc'd; NULL if none or not public. */
char *view_public_reply(const case_rec *c, view_channels pub);

/* A case as its audience may see it — the one JSON every output of a case
 * is made by: VIEW_CONTACT and VIEW_MASKED the staff's view (case_to_json,
 * contact details in full or masked); VIEW_PUBLIC only what the public may
 * read (case number, category, status, unit, dates, the scrubbed public
 * description and reply), or NULL when the case is not public. */
json_t *case_view_json(const case_rec *c, case_view v, view_channels pub, int tz);
struct case_out;
/* A staff view's members (VIEW_CONTACT or VIEW_MASKED) into o (case_json.h). */
void case_view_out(struct case_out *o, const case_rec *c, case_view v, int tz);

/* The check code printed on a case's receipt: with the case number it opens
 * the tracking page. 12 hex digits (48 bits) derived from the case's text key
 * (which never leaves the server), so no table keeps them and case numbers
 * cannot be walked. False when the case has no key (from before schema 8). */
#define VIEW_TRACK_CODE_LEN 12
bool view_track_code(const case_rec *c, char out[VIEW_TRACK_CODE_LEN + 1]);
/* Whether `given` is c's code; spaces, hyphens and case ignored. */
bool view_track_code_ok(const case_rec *c, const char *given);
/* What the holder of the check code sees (the requester): number, channel,
 * status, category, unit, dates, the 13710 steps done and due at `now`, and
 * the public description and reply as the public rule allows — never the
 * requester, the description of a non-public case, or internal notes. */
json_t *case_track_json(const case_rec *c, view_channels pub, int tz, int64_t now);

/* A copy of text with every digit of a phone number, landline or ID number
 * replaced by '*': runs of 7 or more digits (ASCII, full-width, or Chinese
 * numerals 一三九…), also when broken by up to three spaces, hyphens, dots,
 * slashes, underscores or brackets (their full-width forms too) and an ID's
 * final X. Left alone: a date (2026-11-29), a case number (MZ20261125-0001)
 * and an amount (…元/万/亿). malloc'd; NULL only when out of memory. */
char *view_scrub(const char *text);

#endif
