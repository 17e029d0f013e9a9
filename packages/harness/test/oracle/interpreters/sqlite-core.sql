-- sqlite3 with its own file database: recursive CTEs, indexes, joins, aggregates, window functions,
-- printf of floats, date and time, json, string functions, transactions and a rollback
.headers on
.mode list
PRAGMA journal_mode = WAL;
CREATE TABLE t(id INTEGER PRIMARY KEY, k TEXT, v REAL, n INTEGER);
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 20000)
INSERT INTO t(k, v, n) SELECT char(97 + (i * 7) % 26) || char(97 + (i * 13) % 26), (i * 7919 % 10007) / 7.0, i * i % 1000003 FROM s;
CREATE INDEX t_k ON t(k);
SELECT k, count(*), printf('%.6f', avg(v)), sum(n), min(v), max(n) FROM t GROUP BY k ORDER BY sum(n) DESC LIMIT 5;
SELECT printf('%.17g|%e|%10.3f|%x|%d', 1.0 / 3, 6.02214076e23, -2.5, 255, 9223372036854775807), 1e308 * 10, -0.0, 5e-324, round(2.675, 2), 7 / 2, 7 % -3, 7.0 / 0;
SELECT datetime(1234567890, 'unixepoch'), date('2020-02-29', '+1 year'), julianday('2000-01-01 12:00:00'), strftime('%j %W %s', '2021-12-31 23:59:59');
SELECT json_object('a', 1, 'b', json_array(1.5, 'x', NULL)), json_extract('{"x":{"y":[10,20,30]}}', '$.x.y[1]');
SELECT upper('abc') || lower('DEF'), substr('hello world', 7), replace('aaa', 'a', 'bb'), instr('banana', 'nan'), length(x'00ff'), hex(zeroblob(3)), quote('it''s');
SELECT id, k, v, rank() OVER (PARTITION BY k ORDER BY v DESC) r, sum(n) OVER (ORDER BY id ROWS 2 PRECEDING) s FROM t WHERE id % 2500 = 0 ORDER BY id;
SELECT a.k, b.k, count(*) FROM t a JOIN t b ON a.k = b.k AND a.id < b.id AND b.id < 400 GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 3;
BEGIN; DELETE FROM t WHERE id > 100; SELECT count(*) FROM t; ROLLBACK; SELECT count(*) FROM t;
SELECT total(v), group_concat(k, '') FROM (SELECT * FROM t ORDER BY v LIMIT 12);
SELECT typeof(1), typeof(1.0), typeof('1'), typeof(x'01'), typeof(NULL), CAST('12abc' AS INTEGER), CAST(1e20 AS INTEGER), 1 = 1.0;
PRAGMA integrity_check;
SELECT * FROM nosuch;
