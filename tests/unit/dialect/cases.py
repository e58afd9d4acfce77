"""The parity cases: DuckDB SQL, its rows on DuckDB, and the exact Spark SQL it lowers to.

Each case names the lowering it exercises (``unit``). ``test_spark_lowering.py`` runs the DuckDB SQL
on DuckDB and checks the golden Spark SQL; ``tests/spark/test_dialect_parity.py`` runs that Spark SQL on a real
Spark session and expects the same rows. Regenerate a golden only after checking it on Spark.
"""

import datetime

from tests.unit.dialect.harness import Case

CASES = [
    Case(
        "date_diff",
        "boundaries",
        """WITH t(a, b) AS (VALUES
  (TIMESTAMP '2024-01-31 23:59:59.9', TIMESTAMP '2024-02-01 00:00:00.1'),
  (TIMESTAMP '2024-03-01 10:00:00', TIMESTAMP '2023-12-31 09:30:00'),
  (TIMESTAMP '2024-01-06 10:00:00', TIMESTAMP '2024-01-13 09:00:00'))
SELECT date_diff('year', a, b) AS y, date_diff('quarter', a, b) AS q, date_diff('month', a, b) AS mo,
  datediff('week', a, b) AS w, date_diff('day', a, b) AS d, date_diff('hour', a, b) AS h,
  date_diff('minute', a, b) AS mi, date_diff('second', a, b) AS s, date_diff('millisecond', a, b) AS ms
FROM t ORDER BY a""",
        """WITH t(a, b) AS (
  SELECT
    *
  FROM VALUES
    (
      CAST('2024-01-31 23:59:59.9' AS TIMESTAMP_NTZ),
      CAST('2024-02-01 00:00:00.1' AS TIMESTAMP_NTZ)
    ),
    (
      CAST('2024-03-01 10:00:00' AS TIMESTAMP_NTZ),
      CAST('2023-12-31 09:30:00' AS TIMESTAMP_NTZ)
    ),
    (
      CAST('2024-01-06 10:00:00' AS TIMESTAMP_NTZ),
      CAST('2024-01-13 09:00:00' AS TIMESTAMP_NTZ)
    ) AS _values
)
SELECT
  DATEDIFF(YEAR, DATE_TRUNC('YEAR', a), DATE_TRUNC('YEAR', b)) AS y,
  DATEDIFF(QUARTER, DATE_TRUNC('QUARTER', a), DATE_TRUNC('QUARTER', b)) AS q,
  DATEDIFF(MONTH, DATE_TRUNC('MONTH', a), DATE_TRUNC('MONTH', b)) AS mo,
  DATEDIFF(WEEK, DATE_TRUNC('DAY', a), DATE_TRUNC('DAY', b)) AS w,
  DATEDIFF(DAY, DATE_TRUNC('DAY', a), DATE_TRUNC('DAY', b)) AS d,
  DATEDIFF(HOUR, DATE_TRUNC('HOUR', a), DATE_TRUNC('HOUR', b)) AS h,
  DATEDIFF(MINUTE, DATE_TRUNC('MINUTE', a), DATE_TRUNC('MINUTE', b)) AS mi,
  DATEDIFF(SECOND, DATE_TRUNC('SECOND', a), DATE_TRUNC('SECOND', b)) AS s,
  DATEDIFF(MILLISECOND, DATE_TRUNC('MILLISECOND', a), DATE_TRUNC('MILLISECOND', b)) AS ms
FROM t
ORDER BY
  a NULLS LAST""",
        [
            (0, 0, 0, 1, 7, 167, 10020, 601200, 601200000),
            (0, 0, 1, 0, 1, 1, 1, 1, 200),
            (-1, -1, -3, -8, -61, -1465, -87870, -5272200, -5272200000),
        ],
    ),
    Case(
        "date_diff",
        "dates",
        """WITH t(a, b) AS (VALUES
  (DATE '2024-01-31', DATE '2024-02-01'), (DATE '2024-03-31', DATE '2024-01-01'))
SELECT date_diff('month', a, b) AS mo, date_diff('day', a, b) AS d, date_diff('week', a, b) AS w,
  date_diff('hour', a, b) AS h FROM t ORDER BY a""",
        """WITH t(a, b) AS (
  SELECT
    *
  FROM VALUES
    (CAST('2024-01-31' AS DATE), CAST('2024-02-01' AS DATE)),
    (CAST('2024-03-31' AS DATE), CAST('2024-01-01' AS DATE)) AS _values
)
SELECT
  DATEDIFF(MONTH, DATE_TRUNC('MONTH', a), DATE_TRUNC('MONTH', b)) AS mo,
  DATEDIFF(DAY, a, b) AS d,
  DATEDIFF(WEEK, a, b) AS w,
  DATEDIFF(HOUR, DATE_TRUNC('HOUR', a), DATE_TRUNC('HOUR', b)) AS h
FROM t
ORDER BY
  a NULLS LAST""",
        [(1, 1, 0, 24), (-2, -90, -12, -2160)],
        types={"a": "DATE", "b": "DATE"},
    ),
    Case(
        "date_sub",
        "whole_units",
        """SELECT date_sub('hour', TIMESTAMP '2024-01-01 10:59', TIMESTAMP '2024-01-01 12:01') AS h,
  date_sub('day', TIMESTAMP '2024-01-01 23:00', TIMESTAMP '2024-01-03 01:00') AS d,
  date_sub('week', DATE '2024-01-01', DATE '2024-01-14') AS w""",
        """SELECT
  DATEDIFF(
    HOUR,
    CAST('2024-01-01 10:59' AS TIMESTAMP_NTZ),
    CAST('2024-01-01 12:01' AS TIMESTAMP_NTZ)
  ) AS h,
  DATEDIFF(
    DAY,
    CAST('2024-01-01 23:00' AS TIMESTAMP_NTZ),
    CAST('2024-01-03 01:00' AS TIMESTAMP_NTZ)
  ) AS d,
  DATEDIFF(WEEK, CAST('2024-01-01' AS DATE), CAST('2024-01-14' AS DATE)) AS w""",
        [(1, 1, 1)],
    ),
    Case(
        "day_of_week",
        "numbering",
        """WITH t(d) AS (
  SELECT CAST(x AS DATE) FROM (VALUES ('2024-01-07'), ('2024-01-08'), ('2024-01-13')) AS v(x))
SELECT d, dayofweek(d) AS dow, isodow(d) AS iso, weekday(d) AS wd, extract(dow FROM d) AS e_dow,
  extract(isodow FROM d) AS e_iso, date_part('dow', d) AS p_dow, date_part('isodow', d) AS p_iso
FROM t ORDER BY d""",
        """WITH t(d) AS (
  SELECT
    CAST(x AS DATE)
  FROM VALUES
    ('2024-01-07'),
    ('2024-01-08'),
    ('2024-01-13') AS v(x)
)
SELECT
  d,
  (
    DAYOFWEEK(d) - 1
  ) AS dow,
  (
    WEEKDAY(d) + 1
  ) AS iso,
  (
    DAYOFWEEK(d) - 1
  ) AS wd,
  (
    DAYOFWEEK(d) - 1
  ) AS e_dow,
  (
    WEEKDAY(d) + 1
  ) AS e_iso,
  (
    DAYOFWEEK(d) - 1
  ) AS p_dow,
  (
    WEEKDAY(d) + 1
  ) AS p_iso
FROM t
ORDER BY
  d NULLS LAST""",
        [
            (datetime.date(2024, 1, 7), 0, 7, 0, 0, 7, 0, 7),
            (datetime.date(2024, 1, 8), 1, 1, 1, 1, 1, 1, 1),
            (datetime.date(2024, 1, 13), 6, 6, 6, 6, 6, 6, 6),
        ],
    ),
    Case(
        "day_names",
        "full_names",
        """SELECT dayname(DATE '2024-01-07') AS d, monthname(DATE '2024-09-07') AS m""",
        """SELECT
  DATE_FORMAT(CAST('2024-01-07' AS DATE), 'EEEE') AS d,
  DATE_FORMAT(CAST('2024-09-07' AS DATE), 'MMMM') AS m""",
        [("Sunday", "September")],
    ),
    Case(
        "at_time_zone",
        "timestamp_to_instant",
        """SELECT TIMESTAMP '2024-07-01 12:00:00' AT TIME ZONE 'America/New_York' AS ny,
  timezone('Asia/Kolkata', TIMESTAMP '2024-01-01 00:00:00') AS ist""",
        """SELECT
  TO_UTC_TIMESTAMP(CAST('2024-07-01 12:00:00' AS TIMESTAMP_NTZ), 'America/New_York') AS ny,
  TO_UTC_TIMESTAMP(CAST('2024-01-01 00:00:00' AS TIMESTAMP_NTZ), 'Asia/Kolkata') AS ist""",
        [(datetime.datetime(2024, 7, 1, 16, 0), datetime.datetime(2023, 12, 31, 18, 30))],
    ),
    Case(
        "at_time_zone",
        "instant_to_local",
        """SELECT TIMESTAMPTZ '2024-07-01 12:00:00+00' AT TIME ZONE 'Europe/Paris' AS paris,
  TIMESTAMP '2024-01-01 00:00:00' AT TIME ZONE 'UTC' AT TIME ZONE 'Asia/Kolkata' AS ist""",
        """SELECT
  CAST(FROM_UTC_TIMESTAMP(CAST('2024-07-01 12:00:00+00' AS TIMESTAMP), 'Europe/Paris') AS TIMESTAMP_NTZ) AS paris,
  CAST(FROM_UTC_TIMESTAMP(
    TO_UTC_TIMESTAMP(CAST('2024-01-01 00:00:00' AS TIMESTAMP_NTZ), 'UTC'),
    'Asia/Kolkata'
  ) AS TIMESTAMP_NTZ) AS ist""",
        [(datetime.datetime(2024, 7, 1, 14, 0), datetime.datetime(2024, 1, 1, 5, 30))],
    ),
    Case(
        "at_time_zone",
        "typed_column",
        """WITH t(ts) AS (SELECT CAST('2024-12-01 08:00:00' AS TIMESTAMP))
SELECT ts AT TIME ZONE 'Europe/Paris' AS paris FROM t""",
        """WITH t(ts) AS (
  SELECT
    CAST('2024-12-01 08:00:00' AS TIMESTAMP_NTZ)
)
SELECT
  TO_UTC_TIMESTAMP(ts, 'Europe/Paris') AS paris
FROM t""",
        [(datetime.datetime(2024, 12, 1, 7, 0),)],
        types={"ts": "TIMESTAMP"},
    ),
    Case(
        "strftime",
        "codes",
        """WITH t(ts) AS (VALUES
  (TIMESTAMP '2024-01-07 05:04:03.012345'), (TIMESTAMP '2023-12-31 23:59:59.999999'),
  (TIMESTAMP '2000-03-01 12:00:00'))
SELECT strftime(ts, '%Y-%m-%d %H:%M:%S.%f') AS iso, strftime(ts, '%j|%-j|%a %A %b %B|%-d/%-m/%y %-y') AS days,
  strftime(ts, '%I:%-I %p|%-H:%-M:%-S|%g') AS clock, strftime(ts, '%w %u %U %W %V %G') AS weeks,
  strftime(ts, 'Day %d, T%H''h'' %% [x]') AS text, strftime(ts, '%c|%x|%X') AS locale
FROM t ORDER BY ts""",
        """WITH t(ts) AS (
  SELECT
    *
  FROM VALUES
    (CAST('2024-01-07 05:04:03.012345' AS TIMESTAMP_NTZ)),
    (CAST('2023-12-31 23:59:59.999999' AS TIMESTAMP_NTZ)),
    (CAST('2000-03-01 12:00:00' AS TIMESTAMP_NTZ)) AS _values
)
SELECT
  DATE_FORMAT(ts, 'yyyy-MM-dd HH:mm:ss.SSSSSS') AS iso,
  CONCAT(
    DATE_FORMAT(ts, 'DDD\\'|\\'D\\'|\\'EEE EEEE MMM MMMM\\'|\\'d/M/yy '),
    CAST(YEAR(ts) % 100 AS STRING)
  ) AS days,
  DATE_FORMAT(ts, 'hh:h a\\'|\\'H:m:s\\'|\\'SSS') AS clock,
  CONCAT(
    CAST(DAYOFWEEK(ts) - 1 AS STRING),
    DATE_FORMAT(ts, ' '),
    CAST(WEEKDAY(ts) + 1 AS STRING),
    DATE_FORMAT(ts, ' '),
    LPAD(CAST((
      DAYOFYEAR(ts) + 6 - (
        DAYOFWEEK(ts) - 1
      )
    ) DIV 7 AS STRING), 2, '0'),
    DATE_FORMAT(ts, ' '),
    LPAD(CAST((
      DAYOFYEAR(ts) + 6 - WEEKDAY(ts)
    ) DIV 7 AS STRING), 2, '0'),
    DATE_FORMAT(ts, ' '),
    LPAD(CAST(WEEKOFYEAR(ts) AS STRING), 2, '0'),
    DATE_FORMAT(ts, ' '),
    LPAD(CAST(EXTRACT(YEAROFWEEK FROM ts) AS STRING), 4, '0')
  ) AS weeks,
  DATE_FORMAT(ts, '\\'Day \\'dd\\', T\\'HH\\'\\'\\'h\\'\\' \\'%\\' [x]\\'') AS text,
  DATE_FORMAT(ts, 'yyyy-MM-dd HH:mm:ss\\'|\\'yyyy-MM-dd\\'|\\'HH:mm:ss') AS locale
FROM t
ORDER BY
  ts NULLS LAST""",
        [
            (
                "2000-03-01 12:00:00.000000",
                "061|61|Wed Wednesday Mar March|1/3/00 0",
                "12:12 PM|12:0:0|000",
                "3 3 09 09 09 2000",
                "Day 01, T12'h' % [x]",
                "2000-03-01 12:00:00|2000-03-01|12:00:00",
            ),
            (
                "2023-12-31 23:59:59.999999",
                "365|365|Sun Sunday Dec December|31/12/23 23",
                "11:11 PM|23:59:59|999",
                "0 7 53 52 52 2023",
                "Day 31, T23'h' % [x]",
                "2023-12-31 23:59:59|2023-12-31|23:59:59",
            ),
            (
                "2024-01-07 05:04:03.012345",
                "007|7|Sun Sunday Jan January|7/1/24 24",
                "05:5 AM|5:4:3|012",
                "0 7 01 01 01 2024",
                "Day 07, T05'h' % [x]",
                "2024-01-07 05:04:03|2024-01-07|05:04:03",
            ),
        ],
    ),
    Case(
        "regexp_replace",
        "first_and_global",
        """WITH t(s) AS (VALUES ('aXbXc'), ('abc abd'), (NULL))
SELECT regexp_replace(s, 'X', '-') AS first, regexp_replace(s, 'X', '-', 'g') AS every,
  regexp_replace(s, 'a(b)', '<\\1>') AS group_first, regexp_replace(s, 'a(b)', '<\\1\\0>', 'g') AS group_all,
  regexp_replace(s, 'b', '$1\\\\') AS dollar, regexp_replace(s, '', '^') AS empty
FROM t ORDER BY s""",
        """WITH t(s) AS (
  SELECT
    *
  FROM VALUES
    ('aXbXc'),
    ('abc abd'),
    (NULL) AS _values
)
SELECT
  REGEXP_REPLACE(s, '^((?s:.*?))((?du)X)', '$1-') AS first,
  REGEXP_REPLACE(s, '(?du)X', '-') AS every,
  REGEXP_REPLACE(s, '^((?s:.*?))((?du)a(b))', '$1<$3>') AS group_first,
  REGEXP_REPLACE(s, '(?du)a(b)', '<$1$0>') AS group_all,
  REGEXP_REPLACE(s, '^((?s:.*?))((?du)b)', '$1\\\\$1\\\\\\\\') AS dollar,
  REGEXP_REPLACE(s, '^((?s:.*?))((?du))', '$1^') AS empty
FROM t
ORDER BY
  s NULLS LAST""",
        [
            ("a-bXc", "a-b-c", "aXbXc", "aXbXc", "aX$1\\Xc", "^aXbXc"),
            ("abc abd", "abc abd", "<b>c abd", "<bab>c <bab>d", "a$1\\c abd", "^abc abd"),
            (None, None, None, None, None, None),
        ],
    ),
    Case(
        "regexp_replace",
        "options",
        """WITH t(s) AS (VALUES ('axbXc'), ('a.b.c'), (E'a\\nb'))
SELECT regexp_replace(s, 'x', '-', 'gi') AS insensitive, regexp_replace(s, 'x', '-', 'ic') AS sensitive,
  regexp_replace(s, '.', '-', 'l') AS literal, regexp_replace(s, 'a.b', 'X', 's') AS dotall
FROM t ORDER BY s""",
        """WITH t(s) AS (
  SELECT
    *
  FROM VALUES
    ('axbXc'),
    ('a.b.c'),
    ('a\\nb') AS _values
)
SELECT
  REGEXP_REPLACE(s, '(?i)(?du)x', '-') AS insensitive,
  REGEXP_REPLACE(s, '^((?s:.*?))((?du)x)', '$1-') AS sensitive,
  REGEXP_REPLACE(s, '^((?s:.*?))(\\\\.)', '$1-') AS literal,
  REGEXP_REPLACE(s, '^((?s:.*?))((?s)(?du)a.b)', '$1X') AS dotall
FROM t
ORDER BY
  s NULLS LAST""",
        [
            ("a\nb", "a\nb", "a\nb", "X"),
            ("a.b.c", "a.b.c", "a-b.c", "X.c"),
            ("a-b-c", "a-bXc", "axbXc", "XXc"),
        ],
    ),
    Case(
        "cast_integer",
        "rounding",
        """SELECT CAST(2.5 AS INT) AS dec_half, CAST(-2.5 AS BIGINT) AS dec_neg,
  CAST(2.5::DOUBLE AS INT) AS dbl_even, CAST(3.5::DOUBLE AS INT) AS dbl_odd,
  CAST(-2.5::DOUBLE AS SMALLINT) AS dbl_neg, TRY_CAST(2.7::FLOAT AS INT) AS flt,
  CAST('2.5' AS INT) AS str_half, CAST(' -3.5 ' AS INT) AS str_neg, CAST(7 AS TINYINT) AS int_plain""",
        """SELECT
  CAST(ROUND(2.5) AS INT) AS dec_half,
  CAST(ROUND(-2.5) AS BIGINT) AS dec_neg,
  CAST(BROUND(CAST(2.5 AS DOUBLE)) AS INT) AS dbl_even,
  CAST(BROUND(CAST(3.5 AS DOUBLE)) AS INT) AS dbl_odd,
  CAST(BROUND(-CAST(2.5 AS DOUBLE)) AS SMALLINT) AS dbl_neg,
  TRY_CAST(BROUND(CAST(2.7 AS FLOAT)) AS INT) AS flt,
  CAST(ROUND(CAST('2.5' AS DECIMAL(38, 18))) AS INT) AS str_half,
  CAST(ROUND(CAST(' -3.5 ' AS DECIMAL(38, 18))) AS INT) AS str_neg,
  CAST(7 AS TINYINT) AS int_plain""",
        [(3, -3, 2, 4, -2, 3, 3, -4, 7)],
    ),
    Case(
        "cast_integer",
        "typed_columns",
        """WITH t(d, n, s) AS (
  SELECT CAST(x AS DOUBLE), CAST(x AS DECIMAL(10, 2)), x
  FROM (VALUES ('0.5'), ('1.5'), ('-2.5')) AS v(x))
SELECT CAST(d AS INT) AS d, CAST(n AS INT) AS n, CAST(s AS INT) AS s FROM t ORDER BY d""",
        """WITH t(d, n, s) AS (
  SELECT
    CAST(x AS DOUBLE),
    CAST(x AS DECIMAL(10, 2)),
    x
  FROM VALUES
    ('0.5'),
    ('1.5'),
    ('-2.5') AS v(x)
)
SELECT
  CAST(BROUND(d) AS INT) AS d,
  CAST(ROUND(n) AS INT) AS n,
  CAST(ROUND(CAST(s AS DECIMAL(38, 18))) AS INT) AS s
FROM t
ORDER BY
  d NULLS LAST""",
        [(-2, -3, -3), (0, 1, 1), (2, 2, 2)],
        types={"d": "DOUBLE", "n": "DECIMAL(10, 2)", "s": "VARCHAR"},
    ),
    Case(
        "list_length",
        "size",
        """WITH t(l) AS (SELECT CAST(x AS INT[]) FROM (VALUES ([1, 2, 3]), ([]), (NULL)) AS v(x))
SELECT len(l) AS n, length([1, 2]) AS lit, array_length(l) AS al, length('abc') AS s
FROM t ORDER BY n NULLS LAST""",
        """WITH t(l) AS (
  SELECT
    CAST(x AS ARRAY<INT>)
  FROM VALUES
    (ARRAY(1, 2, 3)),
    (ARRAY()),
    (NULL) AS v(x)
)
SELECT
  SIZE(l) AS n,
  SIZE(ARRAY(1, 2)) AS lit,
  SIZE(l) AS al,
  LENGTH('abc') AS s
FROM t
ORDER BY
  n NULLS LAST""",
        [(0, 2, 0, 3), (3, 2, 3, 3), (None, 2, None, 3)],
        types={"l": "INT[]"},
    ),
    Case(
        "unnest",
        "select_list",
        """WITH t(id, l) AS (VALUES (1, [1, 2]), (2, []), (3, NULL), (4, [NULL, 5]))
SELECT id, unnest(l) AS x FROM t ORDER BY id, x""",
        """WITH t(id, l) AS (
  SELECT
    *
  FROM VALUES
    (1, ARRAY(1, 2)),
    (2, ARRAY()),
    (3, NULL),
    (4, ARRAY(NULL, 5)) AS _values
)
SELECT
  id,
  EXPLODE(l) AS x
FROM t
ORDER BY
  id NULLS LAST,
  x NULLS LAST""",
        [(1, 1), (1, 2), (4, 5), (4, None)],
    ),
    Case(
        "unnest",
        "left_join",
        """WITH t(id, l) AS (VALUES (1, [1, 2]), (2, []), (3, NULL))
SELECT id, u.x FROM t LEFT JOIN unnest(l) AS u(x) ON TRUE ORDER BY id, x""",
        """WITH t(id, l) AS (
  SELECT
    *
  FROM VALUES
    (1, ARRAY(1, 2)),
    (2, ARRAY()),
    (3, NULL) AS _values
)
SELECT
  id,
  u.x
FROM t
LATERAL VIEW OUTER
EXPLODE(l) u AS x
ORDER BY
  id NULLS LAST,
  x NULLS LAST""",
        [(1, 1), (1, 2), (2, None), (3, None)],
    ),
    Case(
        "unnest",
        "cross_join",
        """WITH t(id, l) AS (VALUES (1, [1, 2]), (2, []), (3, NULL))
SELECT id, x FROM t, unnest(l) AS u(x) ORDER BY id, x""",
        """WITH t(id, l) AS (
  SELECT
    *
  FROM VALUES
    (1, ARRAY(1, 2)),
    (2, ARRAY()),
    (3, NULL) AS _values
)
SELECT
  id,
  x
FROM t
LATERAL VIEW
EXPLODE(l) u AS x
ORDER BY
  id NULLS LAST,
  x NULLS LAST""",
        [(1, 1), (1, 2)],
    ),
    Case(
        "unnest",
        "ordinality",
        """WITH t(id, l) AS (VALUES (1, ['a', 'b']), (2, []))
SELECT id, x, n FROM t, unnest(l) WITH ORDINALITY AS u(x, n) ORDER BY id, n""",
        """WITH t(id, l) AS (
  SELECT
    *
  FROM VALUES
    (1, ARRAY('a', 'b')),
    (2, ARRAY()) AS _values
)
SELECT
  id,
  x,
  n
FROM t
JOIN LATERAL (
  SELECT
    col AS x,
    pos + 1 AS n
  FROM POSEXPLODE(l)
) AS u
  ON TRUE
ORDER BY
  id NULLS LAST,
  n NULLS LAST""",
        [(1, "a", 1), (1, "b", 2)],
    ),
    Case(
        "unnest",
        "left_ordinality",
        """WITH t(id, l) AS (VALUES (1, ['a', 'b']), (2, []))
SELECT id, x, n FROM t LEFT JOIN unnest(l) WITH ORDINALITY AS u(x, n) ON TRUE ORDER BY id, n""",
        """WITH t(id, l) AS (
  SELECT
    *
  FROM VALUES
    (1, ARRAY('a', 'b')),
    (2, ARRAY()) AS _values
)
SELECT
  id,
  x,
  n
FROM t
LEFT JOIN LATERAL (
  SELECT
    col AS x,
    pos + 1 AS n
  FROM POSEXPLODE(l)
) AS u
  ON TRUE
ORDER BY
  id NULLS LAST,
  n NULLS LAST""",
        [(1, "a", 1), (1, "b", 2), (2, None, None)],
    ),
    Case(
        "list_aggregate",
        "ordered",
        """WITH t(g, x, y, z) AS (VALUES
  (1, 'a', 2, 1), (1, 'b', 1, 2), (1, NULL, 0, 3), (1, 'd', NULL, 4), (1, 'e', 1, 1), (2, NULL, 1, 1))
SELECT g, list(x ORDER BY y, z) AS asc_, list(x ORDER BY y DESC, z) AS desc_,
  array_agg(x ORDER BY y NULLS FIRST, z DESC) AS nulls_first
FROM t GROUP BY g ORDER BY g""",
        """WITH t(g, x, y, z) AS (
  SELECT
    *
  FROM VALUES
    (1, 'a', 2, 1),
    (1, 'b', 1, 2),
    (1, NULL, 0, 3),
    (1, 'd', NULL, 4),
    (1, 'e', 1, 1),
    (2, NULL, 1, 1) AS _values
)
SELECT
  g,
  TRANSFORM(
    ARRAY_SORT(
      COLLECT_LIST(NAMED_STRUCT('k0', y, 'k1', z, 'v', x)),
      (l, r) -> CASE
        WHEN l.k0 IS NULL AND NOT r.k0 IS NULL
        THEN 1
        WHEN NOT l.k0 IS NULL AND r.k0 IS NULL
        THEN -1
        WHEN l.k0 < r.k0
        THEN -1
        WHEN l.k0 > r.k0
        THEN 1
        WHEN l.k1 IS NULL AND NOT r.k1 IS NULL
        THEN 1
        WHEN NOT l.k1 IS NULL AND r.k1 IS NULL
        THEN -1
        WHEN l.k1 < r.k1
        THEN -1
        WHEN l.k1 > r.k1
        THEN 1
        ELSE 0
      END
    ),
    e -> e.v
  ) AS asc_,
  TRANSFORM(
    ARRAY_SORT(
      COLLECT_LIST(NAMED_STRUCT('k0', y, 'k1', z, 'v', x)),
      (l, r) -> CASE
        WHEN l.k0 IS NULL AND NOT r.k0 IS NULL
        THEN 1
        WHEN NOT l.k0 IS NULL AND r.k0 IS NULL
        THEN -1
        WHEN l.k0 < r.k0
        THEN 1
        WHEN l.k0 > r.k0
        THEN -1
        WHEN l.k1 IS NULL AND NOT r.k1 IS NULL
        THEN 1
        WHEN NOT l.k1 IS NULL AND r.k1 IS NULL
        THEN -1
        WHEN l.k1 < r.k1
        THEN -1
        WHEN l.k1 > r.k1
        THEN 1
        ELSE 0
      END
    ),
    e -> e.v
  ) AS desc_,
  TRANSFORM(
    ARRAY_SORT(
      COLLECT_LIST(NAMED_STRUCT('k0', y, 'k1', z, 'v', x)),
      (l, r) -> CASE
        WHEN l.k0 IS NULL AND NOT r.k0 IS NULL
        THEN -1
        WHEN NOT l.k0 IS NULL AND r.k0 IS NULL
        THEN 1
        WHEN l.k0 < r.k0
        THEN -1
        WHEN l.k0 > r.k0
        THEN 1
        WHEN l.k1 IS NULL AND NOT r.k1 IS NULL
        THEN 1
        WHEN NOT l.k1 IS NULL AND r.k1 IS NULL
        THEN -1
        WHEN l.k1 < r.k1
        THEN 1
        WHEN l.k1 > r.k1
        THEN -1
        ELSE 0
      END
    ),
    e -> e.v
  ) AS nulls_first
FROM t
GROUP BY
  g
ORDER BY
  g NULLS LAST""",
        [
            (1, [None, "e", "b", "a", "d"], ["a", "e", "b", None, "d"], ["d", None, "b", "e", "a"]),
            (2, [None], [None], [None]),
        ],
    ),
    Case(
        "list_aggregate",
        "nulls_and_empty",
        """WITH t(g, x) AS (VALUES (1, 'a'), (1, NULL), (1, 'a'), (2, NULL))
SELECT (SELECT list(x ORDER BY x) FROM t WHERE g = 9) AS no_rows, g, list(DISTINCT x ORDER BY x) AS uniq,
  list(x ORDER BY x) FILTER (WHERE x IS NOT NULL) AS filtered, len(list(x)) AS n
FROM t GROUP BY g ORDER BY g""",
        """WITH t(g, x) AS (
  SELECT
    *
  FROM VALUES
    (1, 'a'),
    (1, NULL),
    (1, 'a'),
    (2, NULL) AS _values
)
SELECT
  (
    SELECT
      CASE
        WHEN SIZE(COLLECT_LIST(NAMED_STRUCT('k0', x, 'v', x))) = 0
        THEN NULL
        ELSE TRANSFORM(
          ARRAY_SORT(
            COLLECT_LIST(NAMED_STRUCT('k0', x, 'v', x)),
            (l, r) -> CASE
              WHEN l.k0 IS NULL AND NOT r.k0 IS NULL
              THEN 1
              WHEN NOT l.k0 IS NULL AND r.k0 IS NULL
              THEN -1
              WHEN l.k0 < r.k0
              THEN -1
              WHEN l.k0 > r.k0
              THEN 1
              ELSE 0
            END
          ),
          e -> e.v
        )
      END
    FROM t
    WHERE
      g = 9
  ) AS no_rows,
  g,
  TRANSFORM(
    ARRAY_SORT(
      COLLECT_LIST(DISTINCT NAMED_STRUCT('k0', x, 'v', x)),
      (l, r) -> CASE
        WHEN l.k0 IS NULL AND NOT r.k0 IS NULL
        THEN 1
        WHEN NOT l.k0 IS NULL AND r.k0 IS NULL
        THEN -1
        WHEN l.k0 < r.k0
        THEN -1
        WHEN l.k0 > r.k0
        THEN 1
        ELSE 0
      END
    ),
    e -> e.v
  ) AS uniq,
  CASE
    WHEN SIZE(COLLECT_LIST(NAMED_STRUCT('k0', x, 'v', x)) FILTER(WHERE
      NOT x IS NULL)) = 0
    THEN NULL
    ELSE TRANSFORM(
      ARRAY_SORT(
        COLLECT_LIST(NAMED_STRUCT('k0', x, 'v', x)) FILTER(WHERE
          NOT x IS NULL),
        (l, r) -> CASE
          WHEN l.k0 IS NULL AND NOT r.k0 IS NULL
          THEN 1
          WHEN NOT l.k0 IS NULL AND r.k0 IS NULL
          THEN -1
          WHEN l.k0 < r.k0
          THEN -1
          WHEN l.k0 > r.k0
          THEN 1
          ELSE 0
        END
      ),
      e -> e.v
    )
  END AS filtered,
  SIZE(TRANSFORM(COLLECT_LIST(NAMED_STRUCT('v', x)), e -> e.v)) AS n
FROM t
GROUP BY
  g
ORDER BY
  g NULLS LAST""",
        [(None, 1, ["a", None], ["a", "a"], 3), (None, 2, [None], None, 1)],
    ),
    Case(
        "string_agg",
        "ordered",
        """WITH t(g, x, y) AS (VALUES (1, 'a', 2), (1, 'b', 1), (1, NULL, 0), (1, 'd', NULL), (2, NULL, 1))
SELECT g, string_agg(x, ',' ORDER BY y) AS asc_, string_agg(x, ',' ORDER BY y DESC) AS desc_
FROM t GROUP BY g ORDER BY g""",
        """WITH t(g, x, y) AS (
  SELECT
    *
  FROM VALUES
    (1, 'a', 2),
    (1, 'b', 1),
    (1, NULL, 0),
    (1, 'd', NULL),
    (2, NULL, 1) AS _values
)
SELECT
  g,
  LISTAGG(x, ',') WITHIN GROUP (ORDER BY
    y NULLS LAST) AS asc_,
  LISTAGG(x, ',') WITHIN GROUP (ORDER BY
    y DESC) AS desc_
FROM t
GROUP BY
  g
ORDER BY
  g NULLS LAST""",
        [(1, "b,a,d", "a,b,d"), (2, None, None)],
    ),
    Case(
        "qualify",
        "limit_after_filter",
        """WITH t(a, b) AS (VALUES (1, 10), (1, 20), (2, 5), (3, 1), (3, 2))
SELECT a, b FROM t QUALIFY row_number() OVER (PARTITION BY a ORDER BY b DESC) = 1 ORDER BY b LIMIT 2""",
        """WITH t(a, b) AS (
  SELECT
    *
  FROM VALUES
    (1, 10),
    (1, 20),
    (2, 5),
    (3, 1),
    (3, 2) AS _values
)
SELECT
  a,
  b
FROM (
  SELECT
    a,
    b,
    ROW_NUMBER() OVER (PARTITION BY a ORDER BY b DESC) AS _w
  FROM t
) AS _t
WHERE
  _w = 1
ORDER BY
  b NULLS LAST
LIMIT 2""",
        [(3, 2), (2, 5)],
    ),
    Case(
        "qualify",
        "star_distinct",
        """WITH t(a, b) AS (VALUES (1, 10), (1, 10), (2, 5))
SELECT DISTINCT * FROM t QUALIFY count(*) OVER (PARTITION BY a) > 1 ORDER BY a""",
        """WITH t(a, b) AS (
  SELECT
    *
  FROM VALUES
    (1, 10),
    (1, 10),
    (2, 5) AS _values
)
SELECT DISTINCT
  *
  EXCEPT (_w)
FROM (
  SELECT
    *,
    COUNT(*) OVER (PARTITION BY a) AS _w
  FROM t
) AS _t
WHERE
  _w > 1
ORDER BY
  a NULLS LAST""",
        [(1, 10)],
    ),
    Case(
        "null_ordering",
        "order_by",
        """WITH t(a, b) AS (VALUES (1, NULL), (NULL, 2), (3, 1))
SELECT a, b, row_number() OVER (ORDER BY a) AS r_asc, row_number() OVER (ORDER BY b DESC) AS r_desc,
  list_sort([3, NULL, 1]) AS sorted FROM t ORDER BY a""",
        """WITH t(a, b) AS (
  SELECT
    *
  FROM VALUES
    (1, NULL),
    (NULL, 2),
    (3, 1) AS _values
)
SELECT
  a,
  b,
  ROW_NUMBER() OVER (ORDER BY a NULLS LAST) AS r_asc,
  ROW_NUMBER() OVER (ORDER BY b DESC) AS r_desc,
  ARRAY_SORT(ARRAY(3, NULL, 1)) AS sorted
FROM t
ORDER BY
  a NULLS LAST""",
        [(1, None, 1, 3, [1, 3, None]), (3, 1, 2, 2, [1, 3, None]), (None, 2, 3, 1, [1, 3, None])],
    ),
    Case(
        "pivot",
        "short_statement",
        """WITH t(id, k, v, extra) AS (VALUES (1, 'x', 10, 'p'), (1, 'y', 20, 'q'), (2, 'x', 5, 'r'))
SELECT * FROM (PIVOT t ON k IN ('x', 'y') USING sum(v) GROUP BY id) ORDER BY id""",
        """WITH t(id, k, v, extra) AS (
  SELECT
    *
  FROM VALUES
    (1, 'x', 10, 'p'),
    (1, 'y', 20, 'q'),
    (2, 'x', 5, 'r') AS _values
)
SELECT
  *
FROM (
  SELECT
    *
  FROM (
    SELECT
      id,
      k,
      v
    FROM t
  ) AS _pivot_input
  PIVOT(SUM(v) FOR k IN ('x', 'y'))
)
ORDER BY
  id NULLS LAST""",
        [(1, 10, 20), (2, 5, None)],
    ),
    Case(
        "unpivot",
        "short_statement",
        """WITH t(id, a, b) AS (VALUES (1, 10, NULL), (2, 5, 6))
SELECT * FROM (UNPIVOT t ON a, b INTO NAME k VALUE v) ORDER BY id, k""",
        """WITH t(id, a, b) AS (
  SELECT
    *
  FROM VALUES
    (1, 10, NULL),
    (2, 5, 6) AS _values
)
SELECT
  *
FROM (
  SELECT
    *
  FROM t
  UNPIVOT(v FOR k IN (a, b))
)
ORDER BY
  id NULLS LAST,
  k NULLS LAST""",
        [(1, "a", 10), (2, "a", 5), (2, "b", 6)],
    ),
    Case(
        "star_exclude",
        "except",
        """WITH t(a, b, c) AS (VALUES (1, 2, 3))
SELECT * EXCLUDE (a), t.* EXCLUDE (b, c) FROM t""",
        """WITH t(a, b, c) AS (
  SELECT
    *
  FROM VALUES
    (1, 2, 3) AS _values
)
SELECT
  *
  EXCEPT (a),
  t.*
  EXCEPT (b, c)
FROM t""",
        [(2, 3, 1)],
    ),
    Case(
        "data_types",
        "renamed",
        """SELECT CAST(12 AS HUGEINT) AS h, CAST(12 AS UBIGINT) AS ub, CAST(12 AS UINTEGER) AS ui,
  CAST(12 AS USMALLINT) AS us,
  CAST('{"a": 1}' AS JSON) AS j, CAST('2024-01-01 10:00:00' AS TIMESTAMP_S) AS ts""",
        """SELECT
  CAST(12 AS DECIMAL(38, 0)) AS h,
  CAST(12 AS DECIMAL(20, 0)) AS ub,
  CAST(12 AS BIGINT) AS ui,
  CAST(12 AS INT) AS us,
  CAST('{"a": 1}' AS STRING) AS j,
  CAST('2024-01-01 10:00:00' AS TIMESTAMP_NTZ) AS ts""",
        [(12, 12, 12, 12, '{"a": 1}', datetime.datetime(2024, 1, 1, 10, 0))],
    ),
]
