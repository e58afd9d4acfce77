"""Generate the landing files of the Olist example: a Brazilian marketplace's daily extracts.

    python examples/olist/generate_data.py              # day 1: 90 days of history (~2,200 orders)
    python examples/olist/generate_data.py --day 2      # ... plus the extract of the next day
    python examples/olist/generate_data.py --scale 10   # ten times the orders, customers, products

The data is modelled on the public Olist e-commerce dataset (same tables and column names) and
simulated with a fixed random seed, so every run writes the same files: no download. The
script rebuilds ``data/landing/`` as it looks at the end of day N:

- day 1 is the initial extract: every order placed from 2017-01-01 to 2017-03-31, in the state it
  had on 2017-04-01 00:00 (recent orders are not delivered yet);
- each later day is one daily change extract: the orders placed that day, and the orders whose
  status changed that day (shipped, delivered, canceled), the customers who signed up or moved,
  that day's exchange rates and the reviews answered that day.

Files (``<table>/<table>_<extract date>`` for daily extracts)::

    orders/*.csv  order_items/*.csv  order_payments/*.csv  customers/*.csv
    order_reviews/*.json  exchange_rates/*.json  products.json  sellers.csv  geolocation.csv

Two changes from the public dataset: ``customer_id`` identifies a person (the public dataset
issues one per order) and the CRM and ERP extracts carry a ``modified_at`` change timestamp, so
customers have an address history and orders can be loaded incrementally.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import shutil
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

SEED = 8  # issue 8; any fixed number gives a fixed dataset
FIRST_DAY = date(2017, 1, 1)
HISTORY_DAYS = 90
MAX_DAY = 15
ORDERS_PER_DAY = 20
LANDING = Path(__file__).resolve().parent / "data" / "landing"

# city, state, latitude, longitude, first zip prefix, share of customers
CITIES = [
    ("sao paulo", "SP", -23.55, -46.63, 1000, 16.0),
    ("rio de janeiro", "RJ", -22.91, -43.17, 20000, 7.0),
    ("belo horizonte", "MG", -19.92, -43.94, 30000, 3.0),
    ("brasilia", "DF", -15.79, -47.88, 70000, 2.0),
    ("curitiba", "PR", -25.43, -49.27, 80000, 2.0),
    ("porto alegre", "RS", -30.03, -51.23, 90000, 1.5),
    ("salvador", "BA", -12.97, -38.50, 40000, 1.5),
    ("campinas", "SP", -22.91, -47.06, 13000, 1.5),
    ("guarulhos", "SP", -23.45, -46.53, 7000, 1.2),
    ("niteroi", "RJ", -22.88, -43.10, 24000, 1.0),
    ("fortaleza", "CE", -3.73, -38.52, 60000, 1.0),
    ("recife", "PE", -8.05, -34.88, 50000, 1.0),
    ("goiania", "GO", -16.68, -49.25, 74000, 1.0),
    ("santos", "SP", -23.96, -46.33, 11000, 0.8),
    ("florianopolis", "SC", -27.59, -48.55, 88000, 0.8),
    ("ribeirao preto", "SP", -21.18, -47.81, 14000, 0.6),
    ("vitoria", "ES", -20.32, -40.34, 29000, 0.6),
    ("manaus", "AM", -3.12, -60.02, 69000, 0.5),
    ("belem", "PA", -1.46, -48.50, 66000, 0.5),
    ("londrina", "PR", -23.31, -51.16, 86000, 0.4),
    ("juiz de fora", "MG", -21.76, -43.35, 36000, 0.4),
    ("sao luis", "MA", -2.53, -44.30, 65000, 0.3),
    ("natal", "RN", -5.79, -35.21, 59000, 0.3),
    ("campo grande", "MS", -20.47, -54.62, 79000, 0.3),
    ("cuiaba", "MT", -15.60, -56.10, 78000, 0.3),
    ("joao pessoa", "PB", -7.12, -34.86, 58000, 0.3),
    ("teresina", "PI", -5.09, -42.80, 64000, 0.2),
    ("maceio", "AL", -9.67, -35.74, 57000, 0.2),
    ("aracaju", "SE", -10.91, -37.07, 49000, 0.2),
    ("porto velho", "RO", -8.76, -63.90, 76800, 0.1),
    ("palmas", "TO", -10.18, -48.33, 77000, 0.1),
    ("macapa", "AP", 0.03, -51.07, 68900, 0.05),
    ("boa vista", "RR", 2.82, -60.67, 69300, 0.05),
    ("rio branco", "AC", -9.97, -67.81, 69900, 0.05),
]
ZIPS_PER_CITY = 4

# Portuguese category, share of products, typical price (BRL), typical weight (g).
# pc_gamer and portateis_cozinha... have no English name in the translation table, as in the
# public dataset; None is a product without a category.
CATEGORIES = [
    ("cama_mesa_banho", 10, 90, 1800),
    ("beleza_saude", 9, 120, 900),
    ("esporte_lazer", 8, 110, 1500),
    ("moveis_decoracao", 8, 130, 3500),
    ("informatica_acessorios", 7, 150, 800),
    ("utilidades_domesticas", 6, 80, 1500),
    ("relogios_presentes", 5, 200, 500),
    ("telefonia", 4, 70, 300),
    ("ferramentas_jardim", 4, 110, 2500),
    ("automotivo", 4, 130, 2000),
    ("brinquedos", 4, 100, 1200),
    ("cool_stuff", 3, 160, 2000),
    ("perfumaria", 3, 120, 500),
    ("bebes", 3, 120, 1700),
    ("eletronicos", 2, 60, 400),
    ("papelaria", 2, 90, 900),
    ("fashion_bolsas_e_acessorios", 2, 70, 500),
    ("pet_shop", 2, 100, 2000),
    ("moveis_escritorio", 1.5, 170, 9000),
    ("consoles_games", 1.5, 140, 700),
    ("malas_acessorios", 1, 180, 4000),
    ("construcao_ferramentas_construcao", 1, 140, 3000),
    ("eletrodomesticos", 1, 200, 4000),
    ("instrumentos_musicais", 0.7, 250, 3000),
    ("eletroportateis", 0.7, 250, 3500),
    ("livros_interesse_geral", 0.5, 60, 600),
    ("alimentos", 0.5, 50, 900),
    ("pc_gamer", 0.3, 300, 2000),
    ("portateis_cozinha_e_preparadores_de_alimentos", 0.3, 200, 3000),
    (None, 1.5, 100, 1500),
]
TITLES = {1: "Péssimo", 2: "Ruim", 3: "Regular", 4: "Bom", 5: "Recomendo"}
PAYMENT_TYPES = [("credit_card", 74), ("boleto", 19), ("voucher", 5.5), ("debit_card", 1.5)]
COMMENTS = {
    1: ["Produto não chegou", "Não recomendo", "Atrasou muito e ninguém responde"],
    2: ["Veio diferente do anunciado", "Demorou demais"],
    3: ["Produto ok, entrega demorada", "Razoável"],
    4: ["Bom produto", "Chegou certinho"],
    5: ["Chegou antes do prazo", "Ótimo produto, recomendo", "Excelente vendedor"],
}


def extract_time(day: int) -> datetime:
    """When the extract of ``day`` was taken: it holds every change before this moment."""
    return datetime.combine(FIRST_DAY, datetime.min.time()) + timedelta(days=HISTORY_DAYS + day - 1)


@dataclass
class Customer:
    customer_id: str
    versions: list[tuple[datetime, str, str, str]] = field(default_factory=list)
    """(modified_at, zip prefix, city as typed, state), in time order."""

    def address_at(self, moment: datetime) -> tuple[str, str, str]:
        starts = [v[0] for v in self.versions]
        return self.versions[bisect_right(starts, moment) - 1][1:]


@dataclass
class Order:
    order_id: str
    customer_id: str
    estimated: datetime
    events: list[tuple[datetime, str]]
    """(time, status it moved to), in time order; the first is the purchase."""
    items: list[dict]
    payments: list[dict]
    review: dict | None = None


class Marketplace:
    """The simulated marketplace; every random draw comes from one seeded generator, in one order."""

    def __init__(self, scale: int):
        self.rng = random.Random(SEED)
        self.scale = scale
        self.zips = self._zips()
        self.city_of_zip = dict(self.zips)
        self.geolocation = self._geolocation()
        self.sellers = self._sellers()
        self.products = self._products()
        self.rates = self._rates()
        self.customers: list[Customer] = []
        self.orders = self._orders()

    # reference data -------------------------------------------------------------------------
    def _id(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def _zips(self) -> list[tuple[str, int]]:
        """(zip prefix, city index) for every zip prefix."""
        return [
            (f"{first + 17 * k:05d}", i)
            for i, (*_, first, _) in enumerate(CITIES)
            for k in range(ZIPS_PER_CITY)
        ]

    def _geolocation(self) -> list[dict]:
        rows = []
        for prefix, city in self.zips:
            name, state, lat, lng, *_ = CITIES[city]
            for _ in range(self.rng.randint(3, 8)):
                rows.append(
                    {
                        "geolocation_zip_code_prefix": prefix,
                        "geolocation_lat": round(lat + self.rng.gauss(0, 0.03), 6),
                        "geolocation_lng": round(lng + self.rng.gauss(0, 0.03), 6),
                        "geolocation_city": name,
                        "geolocation_state": state,
                    }
                )
        return rows

    def _random_zip(self, weights: list[float]) -> tuple[str, int]:
        city = self.rng.choices(range(len(CITIES)), weights)[0]
        return f"{CITIES[city][4] + 17 * self.rng.randrange(ZIPS_PER_CITY):05d}", city

    def _sellers(self) -> list[dict]:
        # sellers cluster in the south-east, most of them in the state of Sao Paulo
        weights = [
            c[5] * (4 if c[1] == "SP" else 1.5 if c[1] in ("MG", "PR", "RJ", "SC") else 0.3) for c in CITIES
        ]
        sellers = []
        for _ in range(60 * self.scale):
            prefix, city = self._random_zip(weights)
            sellers.append(
                {
                    "seller_id": self._id(),
                    "seller_zip_code_prefix": prefix,
                    "seller_city": CITIES[city][0],
                    "seller_state": CITIES[city][1],
                    "_city": city,
                }
            )
        return sellers

    def _products(self) -> list[dict]:
        products = []
        for _ in range(300 * self.scale):
            category, _, price, weight = self.rng.choices(CATEGORIES, [c[1] for c in CATEGORIES])[0]
            length, height = self.rng.randint(10, 60), self.rng.randint(2, 40)
            products.append(
                {
                    "product_id": self._id(),
                    "product_category_name": category,
                    "product_name_lenght": self.rng.randint(20, 64),  # sic: the public dataset's spelling
                    "product_description_lenght": self.rng.randint(100, 3000),
                    "product_photos_qty": self.rng.randint(1, 6),
                    "product_weight_g": max(50, round(weight * self.rng.lognormvariate(0, 0.5))),
                    "product_length_cm": length,
                    "product_height_cm": height,
                    "product_width_cm": self.rng.randint(10, 45),
                    "_price": round(price * self.rng.lognormvariate(0, 0.45), 2) + 0.9,
                    "_seller": self.rng.randrange(len(self.sellers)),
                }
            )
        return products

    def _rates(self) -> list[dict]:
        """Daily BRL exchange rates: units of USD and EUR one real buys (random walks)."""
        usd, eur_usd, rates = 0.3080, 1.052, []
        for offset in range(HISTORY_DAYS + MAX_DAY):
            usd *= math.exp(self.rng.gauss(0, 0.005))
            eur_usd *= math.exp(self.rng.gauss(0.0004, 0.003))
            day = FIRST_DAY + timedelta(days=offset)
            rates.append(
                {
                    "date": day.isoformat(),
                    "base": "BRL",
                    "rates": {"USD": round(usd, 6), "EUR": round(usd / eur_usd, 6)},
                }
            )
        return rates

    # customers and orders -------------------------------------------------------------------
    def _new_customer(self, signup: datetime, horizon: datetime) -> Customer:
        weights = [c[5] for c in CITIES]
        customer = Customer(self._id())
        prefix, city = self._random_zip(weights)
        customer.versions.append((signup, prefix, self._as_typed(CITIES[city][0]), CITIES[city][1]))
        moment = signup
        home = (prefix, city)
        for _ in range(2):
            if self.rng.random() > 0.15:
                break
            moment += timedelta(days=self.rng.uniform(2, 60), seconds=self.rng.randint(0, 86399))
            # a second move is often back home: a value that returns is a new version
            prefix, city = (
                home if len(customer.versions) == 2 and self.rng.random() < 0.5 else self._random_zip(weights)
            )
            customer.versions.append((moment, prefix, self._as_typed(CITIES[city][0]), CITIES[city][1]))
        if self.rng.random() < 0.05:  # the CRM re-sends an unchanged record, typed differently
            _, prefix, typed, state = customer.versions[-1]
            customer.versions.append(
                (
                    moment + timedelta(days=self.rng.uniform(1, 30)),
                    prefix,
                    self._as_typed(typed.strip().lower()),
                    state,
                )
            )
        customer.versions = [v for v in customer.versions if v[0] < horizon]
        return customer

    def _as_typed(self, city: str) -> str:
        """City names as people type them: mostly clean, sometimes capitalised or padded."""
        roll = self.rng.random()
        if roll < 0.06:
            return city.title()
        if roll < 0.09:
            return f" {city.upper()}  "
        return city

    def _orders(self) -> list[Order]:
        horizon = extract_time(MAX_DAY)
        weights = self._product_popularity()
        orders = []
        for offset in range(HISTORY_DAYS + MAX_DAY - 1):
            day = datetime.combine(FIRST_DAY + timedelta(days=offset), datetime.min.time())
            growth = 1 + offset / 150
            weekday = 0.8 if day.weekday() >= 5 else 1.0
            count = round(ORDERS_PER_DAY * self.scale * growth * weekday * self.rng.uniform(0.8, 1.2))
            for _ in range(count):
                purchase = day + timedelta(seconds=self.rng.randint(7 * 3600, 86399))
                orders.append(self._order(purchase, horizon, weights))
        return orders

    def _product_popularity(self) -> list[float]:
        ranks = list(range(1, len(self.products) + 1))
        self.rng.shuffle(ranks)
        total, cumulative = 0.0, []
        for rank in ranks:
            total += 1 / rank**0.8
            cumulative.append(total)
        return cumulative

    def _customer_for(self, purchase: datetime, horizon: datetime) -> Customer:
        if self.customers and self.rng.random() < 0.12:  # a returning customer
            customer = self.customers[self.rng.randrange(len(self.customers))]
            if customer.versions and customer.versions[0][0] < purchase:
                return customer
        customer = self._new_customer(purchase - timedelta(seconds=self.rng.randint(60, 3600)), horizon)
        self.customers.append(customer)
        return customer

    def _order(self, purchase: datetime, horizon: datetime, popularity: list[float]) -> Order:
        customer = self._customer_for(purchase, horizon)
        prefix, _, _ = customer.address_at(purchase)
        customer_city = self.city_of_zip[prefix]
        n_items = self.rng.choices([1, 2, 3, 4], [85, 10, 4, 1])[0]
        products = self.rng.choices(self.products, cum_weights=popularity, k=n_items)
        seller = self.sellers[products[0]["_seller"]]
        distance = _distance_km(CITIES[seller["_city"]], CITIES[customer_city])
        items = []
        for n, product in enumerate(products, start=1):
            item_seller = self.sellers[product["_seller"]]
            to_customer = _distance_km(CITIES[item_seller["_city"]], CITIES[customer_city])
            freight = (
                6 + product["product_weight_g"] / 1000 * 1.2 + to_customer * 0.008 + self.rng.uniform(0, 4)
            )
            items.append(
                {
                    "order_item_id": n,
                    "product_id": product["product_id"],
                    "seller_id": item_seller["seller_id"],
                    "shipping_limit_date": _ts(purchase + timedelta(days=6)),
                    "price": f"{product['_price']:.2f}",
                    "freight_value": f"{freight:.2f}",
                }
            )
        order_id = self._id()
        total = sum(float(i["price"]) + float(i["freight_value"]) for i in items)
        approved = purchase + timedelta(
            minutes=self.rng.uniform(2, 60) if self.rng.random() < 0.8 else self.rng.uniform(60, 2880)
        )
        carrier = approved + timedelta(days=self.rng.uniform(0.5, 4))
        invoiced = approved + (carrier - approved) * self.rng.uniform(0.1, 0.6)
        delivered = carrier + timedelta(days=1.5 + distance / 300 + self.rng.expovariate(1 / 3))
        estimated = datetime.combine(
            purchase.date() + timedelta(days=round(3 + distance / 300 * 1.3 + self.rng.uniform(5, 12))),
            datetime.min.time(),
        )
        events = [(purchase, "created"), (approved, "approved")]
        fate = self.rng.random()
        if fate < 0.012:
            events.append((approved + timedelta(days=self.rng.uniform(0.5, 4)), "canceled"))
        elif fate < 0.018:
            events.append((approved + timedelta(days=self.rng.uniform(1, 3)), "unavailable"))
        else:
            events += [(invoiced, "invoiced"), (carrier, "shipped"), (delivered, "delivered")]
        order = Order(
            order_id,
            customer.customer_id,
            estimated,
            [e for e in events if e[0] < horizon],
            items,
            self._payments(order_id, total),
        )
        order.review = self._review(order, events, estimated, horizon)
        return order

    def _payments(self, order_id: str, total: float) -> list[dict]:
        kind = self.rng.choices([p[0] for p in PAYMENT_TYPES], [p[1] for p in PAYMENT_TYPES])[0]
        parts = [(kind, round(total, 2))]
        if kind == "voucher" and self.rng.random() < 0.5:  # a voucher covers part, a card the rest
            voucher = round(total * self.rng.uniform(0.1, 0.5), 2)
            parts = [("voucher", voucher), ("credit_card", round(total - voucher, 2))]
        return [
            {
                "order_id": order_id,
                "payment_sequential": n,
                "payment_type": kind,
                "payment_installments": self.rng.choice([1, 1, 1, 2, 3, 4, 5, 6, 8, 10])
                if kind == "credit_card"
                else 1,
                "payment_value": f"{value:.2f}",
            }
            for n, (kind, value) in enumerate(parts, start=1)
        ]

    def _review(self, order: Order, events: list, estimated: datetime, horizon: datetime) -> dict | None:
        last, status = events[-1]
        if status != "delivered" and self.rng.random() < 0.5:
            return None
        late = status == "delivered" and last.date() > estimated.date()
        weights = [45, 15, 15, 15, 10] if late or status != "delivered" else [5, 3, 8, 20, 64]
        score = self.rng.choices([1, 2, 3, 4, 5], weights)[0]
        created = datetime.combine(last.date() + timedelta(days=1), datetime.min.time())
        answered = created + timedelta(days=self.rng.uniform(0.2, 4))
        if answered >= horizon:
            return None
        comment = self.rng.choice(COMMENTS[score]) if self.rng.random() < 0.4 else None
        title = TITLES[score] if comment and self.rng.random() < 0.3 else None
        return {
            "review_id": self._id(),
            "order_id": order.order_id,
            "review_score": score,
            "review_comment_title": title,
            "review_comment_message": comment,
            "review_creation_date": _ts(created),
            "review_answer_timestamp": _ts(answered),
        }


def _distance_km(a: tuple, b: tuple) -> float:
    lat1, lng1, lat2, lng2 = map(math.radians, (a[2], a[3], b[2], b[3]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


def _ts(moment: datetime | None) -> str | None:
    return moment.isoformat(sep=" ", timespec="seconds") if moment else None


def _order_row(order: Order, at: datetime) -> dict:
    """The order as the ERP shows it at ``at``: the columns of events that already happened."""
    happened = {status: moment for moment, status in order.events if moment < at}
    last_moment, last_status = max((m, s) for s, m in happened.items())
    return {
        "order_id": order.order_id,
        "customer_id": order.customer_id,
        "order_status": last_status,
        "order_purchase_timestamp": _ts(happened["created"]),
        "order_approved_at": _ts(happened.get("approved")),
        "order_delivered_carrier_date": _ts(happened.get("shipped")),
        "order_delivered_customer_date": _ts(happened.get("delivered")),
        "order_estimated_delivery_date": _ts(order.estimated),
        "modified_at": _ts(last_moment),
    }


def _in_window(moment: datetime, start: datetime | None, end: datetime) -> bool:
    return (start is None or moment >= start) and moment < end


def write_landing(market: Marketplace, days: int, landing: Path) -> dict[str, int]:
    """Write the extracts of days 1..``days``; returns how many rows each table received."""
    if landing.exists():
        shutil.rmtree(landing)
    counts: dict[str, int] = {}

    def write(rel: str, rows: list[dict]) -> None:
        path = landing / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        table = rel.split("/")[0].removesuffix(".csv").removesuffix(".json")
        counts[table] = counts.get(table, 0) + len(rows)
        rows = [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]
        if rel.endswith(".json"):
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
            return
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)

    write("geolocation.csv", market.geolocation)
    write("sellers.csv", market.sellers)
    write("products.json", market.products)
    for day in range(1, days + 1):
        start, end = (extract_time(day - 1) if day > 1 else None), extract_time(day)
        stamp = end.date().isoformat()
        changed = [o for o in market.orders if any(_in_window(m, start, end) for m, _ in o.events)]
        placed = [o for o in market.orders if _in_window(o.events[0][0], start, end)]
        write(f"orders/orders_{stamp}.csv", [_order_row(o, end) for o in changed])
        write(
            f"order_items/order_items_{stamp}.csv",
            [{"order_id": o.order_id, **i} for o in placed for i in o.items],
        )
        write(f"order_payments/order_payments_{stamp}.csv", [p for o in placed for p in o.payments])
        reviews = [
            o.review
            for o in market.orders
            if o.review
            and _in_window(datetime.fromisoformat(o.review["review_answer_timestamp"]), start, end)
        ]
        write(f"order_reviews/order_reviews_{stamp}.json", reviews)
        customers = [
            {
                "customer_id": c.customer_id,
                "customer_zip_code_prefix": z,
                "customer_city": city,
                "customer_state": state,
                "modified_at": _ts(m),
            }
            for c in market.customers
            for m, z, city, state in c.versions
            if _in_window(m, start, end)
        ]
        write(f"customers/customers_{stamp}.csv", sorted(customers, key=lambda r: r["modified_at"]))
        rates = [r for r in market.rates if _in_window(datetime.fromisoformat(r["date"]), start, end)]
        write(f"exchange_rates/exchange_rates_{stamp}.json", rates)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--day", type=int, default=1, help=f"write the extracts of days 1..DAY (1-{MAX_DAY}; default 1)"
    )
    parser.add_argument(
        "--scale", type=int, default=1, help="multiply the number of orders, customers, products and sellers"
    )
    parser.add_argument(
        "--out", type=Path, default=LANDING, help="landing folder (default: data/landing next to this script)"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.day <= MAX_DAY or args.scale < 1:
        parser.error(f"--day must be between 1 and {MAX_DAY} and --scale at least 1")
    counts = write_landing(Marketplace(args.scale), args.day, args.out)
    summary = ", ".join(f"{n} {t}" for t, n in counts.items())
    print(
        f"Wrote the extracts of day 1..{args.day} (up to {extract_time(args.day):%Y-%m-%d}) to {args.out}: {summary}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
