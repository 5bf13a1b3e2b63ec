/*
 * live_export.h — a live round's results as two sheets for the CSV / XLSX
 * export (docs/live-rounds.md): the board (rank, name, unit, correct, total
 * time, eliminated at question N) and the answer counts per question.
 * Worker threads: read from the database (live_rounds, live_players,
 * live_answers) through the worker's own store connection.
 */
#ifndef EXAMD_LIVE_EXPORT_H
#define EXAMD_LIVE_EXPORT_H

#include "sheet.h"
#include "store.h"

#include <stdint.h>

#define LIVE_EXPORT_SHEETS 2

/* Read round round_id on s and build out[0] (the board) and out[1] (the
 * answers per question), both owned by the caller. 0, EXAMD_ENOTFOUND or
 * another error (msg says which, when known). */
int live_export(struct store *s, int64_t round_id,
                struct sheet *out[LIVE_EXPORT_SHEETS], char *msg, size_t n);

#endif
