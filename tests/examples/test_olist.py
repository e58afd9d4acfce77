"""examples/olist end to end: generate day 1, run, generate day 2, run again (incremental).

Every expected figure is computed here in plain Python from the generated landing files (CSV and
JSON), never by running the project's SQL, and compared with the gold and silver tables.
"""

from __future__ import annotations

import csv
import json
import math
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from tests.functional.helpers import query, run_cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "olist"
WAREHOUSE = "target/olist.duckdb"
NO_REVENUE = {"canceled", "unavailable"}
CENT = Decimal("0.01")


@pytest.fixture(scope="module")
def olist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("example") / "olist"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("data", "target", "__pycache__"))
    return root


def _generate(root: Path, *args: str) -> None:
    subprocess.run([sys.executable, str(root / "generate_data.py"), *args], check=True, capture_output=True)


def _run(capsys, root: Path) -> str:
    return run_cli(capsys, "build", "--project-dir", root).text


def _db(root: Path, sql: str) -> list[tuple]:
    return query(root, sql, WAREHOUSE)


# --- the landing files, read with the standard library --------------------------------------------


def _csv(root: Path, pattern: str) -> list[dict]:
    rows = []
    for path in sorted((root / "data/landing").glob(pattern)):
        with path.open(newline="", encoding="utf-8") as f:
            rows += list(csv.DictReader(f))
    return rows


def _json(root: Path, pattern: str) -> list[dict]:
    paths = sorted((root / "data/landing").glob(pattern))
    return [
        json.loads(line, parse_float=Decimal) for p in paths for line in p.read_text("utf-8").splitlines()
    ]


def _ts(text: str) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _latest_orders(root: Path) -> dict[str, dict]:
    latest: dict[str, dict] = {}
    for row in _csv(root, "orders/*.csv"):
        known = latest.get(row["order_id"])
        if known is None or row["modified_at"] > known["modified_at"]:
            latest[row["order_id"]] = row
    return latest


def _categories(root: Path) -> dict[str, str]:
    """product_id -> category in English, else Portuguese, else 'unknown'."""
    with (root / "seeds/product_category_name_translation.csv").open(encoding="utf-8") as f:
        english = {r["product_category_name"]: r["product_category_name_english"] for r in csv.DictReader(f)}
    return {
        p["product_id"]: english.get(p["product_category_name"]) or p["product_category_name"] or "unknown"
        for p in _json(root, "products.json")
    }


def _revenue_lines(root: Path) -> list[dict]:
    """Items of orders that earn revenue, with the order date and the amount in BRL and USD."""
    orders = _latest_orders(root)
    usd = {r["date"]: r["rates"]["USD"] for r in _json(root, "exchange_rates/*.json")}
    lines = []
    for item in _csv(root, "order_items/*.csv"):
        order = orders[item["order_id"]]
        if order["order_status"] in NO_REVENUE:
            continue
        day = order["order_purchase_timestamp"][:10]
        brl = Decimal(item["price"]) + Decimal(item["freight_value"])
        lines.append({**item, "day": day, "brl": brl, "usd": (brl * usd[day]).quantize(CENT, ROUND_HALF_UP)})
    return lines


def _expected_daily_revenue(root: Path) -> list[tuple]:
    days: dict[str, dict] = defaultdict(
        lambda: {"orders": set(), "items": 0, "brl": Decimal(0), "usd": Decimal(0)}
    )
    for line in _revenue_lines(root):
        day = days[line["day"]]
        day["orders"].add(line["order_id"])
        day["items"] += 1
        day["brl"] += line["brl"]
        day["usd"] += line["usd"]
    return [(d, len(v["orders"]), v["items"], v["brl"], v["usd"]) for d, v in sorted(days.items())]


def _expected_top_categories(root: Path) -> list[tuple]:
    category = _categories(root)
    totals: dict[str, dict] = defaultdict(lambda: {"orders": set(), "items": 0, "usd": Decimal(0)})
    for line in _revenue_lines(root):
        total = totals[category[line["product_id"]]]
        total["orders"].add(line["order_id"])
        total["items"] += 1
        total["usd"] += line["usd"]
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1]["usd"], kv[0]))[:10]
    return [(name, len(t["orders"]), t["items"], t["usd"], rank) for rank, (name, t) in enumerate(ranked, 1)]


def _customer_rows(root: Path) -> dict[str, list[tuple]]:
    """customer_id -> [(modified_at, zip, city, state)] in time order, city cleaned as silver does."""
    rows = defaultdict(list)
    for r in _csv(root, "customers/*.csv"):
        city = re.sub(r"\s+", " ", r["customer_city"]).strip().lower()
        rows[r["customer_id"]].append(
            (_ts(r["modified_at"]), r["customer_zip_code_prefix"], city, r["customer_state"])
        )
    return {k: sorted(v) for k, v in rows.items()}


def _expected_history(root: Path) -> list[tuple]:
    """SCD2 by hand: a new version whenever zip, city or state differs from the row before."""
    versions = []
    for customer, rows in _customer_rows(root).items():
        starts = [row for i, row in enumerate(rows) if i == 0 or row[1:] != rows[i - 1][1:]]
        for i, (start, zip_code, city, state) in enumerate(starts):
            end = starts[i + 1][0] if i + 1 < len(starts) else None
            versions.append((customer, zip_code, city, state, start, end, end is None))
    return sorted(versions)


def _address_at(rows: list[tuple], moment: datetime) -> tuple:
    return [r for r in rows if r[0] <= moment][-1]


def _expected_delivery_by_state(root: Path) -> list[tuple]:
    customers = _customer_rows(root)
    states: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for order in _latest_orders(root).values():
        if order["order_status"] != "delivered":
            continue
        state = _address_at(customers[order["customer_id"]], _ts(order["order_purchase_timestamp"]))[3]
        late = (
            _ts(order["order_delivered_customer_date"]).date()
            > _ts(order["order_estimated_delivery_date"]).date()
        )
        states[state][0] += 1
        states[state][1] += late
    return sorted((s, n, late) for s, (n, late) in states.items())


def _expected_items_by_distance_band(root: Path) -> list[tuple]:
    points = defaultdict(list)
    for g in _csv(root, "geolocation.csv"):
        points[g["geolocation_zip_code_prefix"]].append(
            (float(g["geolocation_lat"]), float(g["geolocation_lng"]))
        )
    centre = {
        z: (sum(p[0] for p in ps) / len(ps), sum(p[1] for p in ps) / len(ps)) for z, ps in points.items()
    }
    seller_zip = {s["seller_id"]: s["seller_zip_code_prefix"] for s in _csv(root, "sellers.csv")}
    customers, orders = _customer_rows(root), _latest_orders(root)
    bands: dict[str, int] = defaultdict(int)
    for item in _csv(root, "order_items/*.csv"):
        order = orders[item["order_id"]]
        if order["order_status"] != "delivered":
            continue
        home = _address_at(customers[order["customer_id"]], _ts(order["order_purchase_timestamp"]))[1]
        km = _haversine_km(centre[seller_zip[item["seller_id"]]], centre[home])
        band = (
            "under 100 km"
            if km < 100
            else "100-500 km"
            if km < 500
            else "500-1000 km"
            if km < 1000
            else "over 1000 km"
        )
        bands[band] += 1
    return sorted(bands.items())


def _haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


# --- checks shared by both runs ---------------------------------------------------------------------


def _check_gold_and_silver(root: Path) -> None:
    assert _db(root, "select * exclude (revenue_eur) from gold.daily_revenue order by order_date") == [
        (datetime.fromisoformat(d).date(), *rest) for d, *rest in _expected_daily_revenue(root)
    ]
    assert _db(
        root,
        "select product_category, orders, items, revenue_usd, revenue_rank from gold.top_categories order by revenue_rank",
    ) == _expected_top_categories(root)
    history = _db(
        root,
        "select customer_id, customer_zip_code_prefix, customer_city, customer_state, valid_from, valid_to, is_current"
        " from silver.customer_history order by all",
    )
    assert history == _expected_history(root)
    assert _db(
        root, "select customer_state, delivered_orders, late_orders from gold.delivery_by_state order by 1"
    ) == _expected_delivery_by_state(root)
    assert _db(root, "select distance_band, items from gold.freight_vs_delivery order by 1") == (
        _expected_items_by_distance_band(root)
    )
    latest = _latest_orders(root)
    assert _db(root, "select count(*), count(distinct order_id) from silver.orders") == [
        (len(latest), len(latest))
    ]
    statuses = dict(_db(root, "select order_id, order_status from silver.orders"))
    assert statuses == {k: v["order_status"] for k, v in latest.items()}


def test_olist_builds_then_loads_the_next_day_incrementally(olist, capsys):
    _generate(olist)
    out = _run(capsys, olist)
    assert re.search(r"orders\s+\[incremental first_run, \d+ rows", out)
    assert "ERROR=0 SKIP=0" in out
    _check_gold_and_silver(olist)
    # the landing data has the cases SCD2 must handle: re-sent unchanged records, messy city names
    raw = _csv(olist, "customers/*.csv")
    assert len(raw) > len(_expected_history(olist))
    assert any(r["customer_city"] != r["customer_city"].strip().lower() for r in raw)
    day_one = {
        row[0]: row[1:] for row in _db(olist, "select order_id, order_status, created_at from silver.orders")
    }
    history_before = len(_db(olist, "select 1 from silver.customer_history"))

    _generate(olist, "--day", "2")  # the next day's extract lands
    day_two = _csv(olist, "orders/orders_2017-04-02.csv")
    changed = {r["order_id"]: r for r in day_two if r["order_id"] in day_one}
    new = {r["order_id"] for r in day_two} - set(day_one)
    assert changed and new  # the extract holds both updates and new orders
    out = _run(capsys, olist)
    assert re.search(rf"orders\s+\[incremental incremental, {len(day_two)} rows", out)
    _check_gold_and_silver(olist)

    # updated orders were merged in place: one row each, the new status, the first load's created_at
    merged = {
        row[0]: row[1:]
        for row in _db(
            olist,
            "select order_id, order_status, order_delivered_customer_date, created_at, updated_at from silver.orders",
        )
    }
    assert len(merged) == len(day_one) + len(new)
    for order_id, row in changed.items():
        status, delivered, created_at, updated_at = merged[order_id]
        assert (status, delivered) == (row["order_status"], _ts(row["order_delivered_customer_date"]))
        assert status != day_one[order_id][0]
        assert created_at == day_one[order_id][1] < updated_at
    untouched = next(k for k in day_one if k not in changed)
    assert merged[untouched][2] == merged[untouched][3] == day_one[untouched][1]

    # customers who moved on day 2: a new version opened, the previous one closed at that moment
    history = _expected_history(olist)
    opened = {v[0] for v in history if v[4] >= datetime(2017, 4, 1)}
    moved = [c for c in opened if sum(v[0] == c for v in history) > 1]
    assert moved
    assert len(_db(olist, "select 1 from silver.customer_history")) > history_before
