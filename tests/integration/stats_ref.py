#!/usr/bin/python3
"""stats_ref.py — an independent computation of examd's item statistics.

Reads JSON on stdin:
  {"items": [{"points": 1, "n_options": 4}, ...],      (pool order)
   "attempts": [[{"item": 0, "fraction": 1.0, "choice": [1]}, ...], ...]}
where each attempt lists its paper's questions in slot order (sorted by
pool index), and writes the figures docs/statistics.md defines as JSON on
stdout, with the names of GET /api/staff/exams/ID/stats.

Written apart from server/stats.c on purpose: it uses the textbook forms
(Python's statistics module for variance, median and correlation; the
sample skewness G1 and excess kurtosis G2; Cronbach's alpha) rather than
Moodle's k-statistics, which are the same quantities written another way.
Standard library only.
"""
import json
import math
import statistics
import sys

EPS = 1e-9  # a variance at or below this is zero (stats.h STATS_EPS)
MIN_S, EASY, HARD, WEAK = 5, 90.0, 20.0, 20.0


def var(v):
    return statistics.variance(v) if len(v) > 1 else None


def test_figures(totals, slot_cols):
    n = len(totals)
    out = {"n": n, "mean": None, "median": None, "sd": None,
           "skewness": None, "kurtosis": None, "cic": None,
           "error_ratio": None, "standard_error": None}
    hist = [0] * 10
    for t in totals:
        hist[min(9, max(0, math.floor(t / 10 + 1e-9)))] += 1
    out["histogram"] = hist
    if n == 0:
        return out
    out["mean"] = statistics.fmean(totals)
    out["median"] = statistics.median(totals)
    if n < 2:
        return out
    out["sd"] = statistics.stdev(totals)
    s2 = statistics.variance(totals)
    if n < 3 or s2 <= EPS:
        return out
    mean = out["mean"]
    m2 = sum((t - mean) ** 2 for t in totals) / n
    m3 = sum((t - mean) ** 3 for t in totals) / n
    m4 = sum((t - mean) ** 4 for t in totals) / n
    g1 = m3 / m2 ** 1.5
    out["skewness"] = math.sqrt(n * (n - 1)) / (n - 2) * g1
    if n > 3:
        g2 = m4 / m2 ** 2 - 3
        out["kurtosis"] = ((n + 1) * g2 + 6) * (n - 1) / ((n - 2) * (n - 3))
    k = len(slot_cols)
    if k > 1:
        alpha = k / (k - 1) * (1 - sum(statistics.variance(c) for c in slot_cols) / s2)
        out["cic"] = 100 * alpha
        out["error_ratio"] = 100 * math.sqrt(1 - alpha)
        out["standard_error"] = out["error_ratio"] / 100 * out["sd"]
    return out


def item_figures(item, rows):
    """rows: (fraction, mark in percent of the paper, rest of the test, choice)."""
    s = len(rows)
    out = {"s": s, "facility": None, "sd": None, "discrimination": None,
           "efficiency": None, "blank": 0, "counts": [0] * item["n_options"]}
    for _f, _x, _r, choice in rows:
        if not choice:
            out["blank"] += 1
        for k in choice:
            out["counts"][k] += 1
    if s:
        out["facility"] = 100 * statistics.fmean(r[0] for r in rows)
    if s > 1:
        f = [r[0] for r in rows]
        x = [r[1] for r in rows]
        rest = [r[2] for r in rows]
        out["sd"] = 100 * statistics.stdev(f)
        if var(x) > EPS and var(rest) > EPS:
            out["discrimination"] = 100 * statistics.correlation(x, rest)
        cmax = statistics.covariance(sorted(x), sorted(rest))
        if cmax > EPS:
            out["efficiency"] = 100 * statistics.covariance(x, rest) / cmax
    flags = []
    if s >= MIN_S:
        d = out["discrimination"]
        if out["facility"] > EASY:
            flags.append("easy")
        if out["facility"] < HARD:
            flags.append("hard")
        if d is not None and d < -1e-9:  # an exact 0 computed as -1e-14
            flags.append("negative")
        elif d is not None and d < WEAK:
            flags.append("weak")
    out["flags"] = flags
    return out


def main():
    data = json.load(sys.stdin)
    items = data["items"]
    totals, per_item, slot_cols = [], [[] for _ in items], None
    for paper in data["attempts"]:
        top = sum(items[q["item"]]["points"] for q in paper)
        marks = [100 * q["fraction"] * items[q["item"]]["points"] / top for q in paper]
        total = sum(marks)
        totals.append(total)
        if slot_cols is None:
            slot_cols = [[] for _ in paper]
        for j, (q, m) in enumerate(zip(paper, marks)):
            slot_cols[j].append(m)
            per_item[q["item"]].append((q["fraction"], m, total - m, q["choice"]))
    json.dump({"test": test_figures(totals, slot_cols or []),
               "questions": [item_figures(it, rows) for it, rows in zip(items, per_item)]},
              sys.stdout)


if __name__ == "__main__":
    main()
