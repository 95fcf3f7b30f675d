/* A digest of every row of every table, to prove an operation wrote nothing.
 * Reads the file with SQLite directly, as an outside observer would. */
#ifndef DUBAN_TEST_DB_DIGEST_H
#define DUBAN_TEST_DB_DIGEST_H

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/* skip: tables left out, comma-separated (e.g. "users", whose password
 * hashes are salted, or the session bookkeeping), or NULL. */
static inline void db_digest_except(const char *path, const char *skip, unsigned char out[32]) {
    sqlite3 *db;
    sqlite3_stmt *tables, *rows;
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) abort();
    sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1,
                       &tables, NULL);
    while (sqlite3_step(tables) == SQLITE_ROW) {
        char sql[256];
        const char *name = (const char *)sqlite3_column_text(tables, 0);
        char key[80];
        snprintf(key, sizeof key, ",%s,", name);
        char list[256];
        snprintf(list, sizeof list, ",%s,", skip ? skip : "");
        if (strstr(list, key)) continue;
        crypto_generichash_update(&h, (const unsigned char *)name, strlen(name) + 1);
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY rowid", name);
        if (sqlite3_prepare_v2(db, sql, -1, &rows, NULL) != SQLITE_OK) continue;
        while (sqlite3_step(rows) == SQLITE_ROW)
            for (int i = 0; i < sqlite3_column_count(rows); i++) {
                const void *b = sqlite3_column_blob(rows, i);
                int n = sqlite3_column_bytes(rows, i);
                crypto_generichash_update(&h, (const unsigned char *)&n, sizeof n);
                if (b) crypto_generichash_update(&h, b, (unsigned long long)n);
            }
        sqlite3_finalize(rows);
    }
    sqlite3_finalize(tables);
    sqlite3_close(db);
    crypto_generichash_final(&h, out, 32);
}

static inline void db_digest(const char *path, unsigned char out[32]) {
    db_digest_except(path, NULL, out);
}

#endif
