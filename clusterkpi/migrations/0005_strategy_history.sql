-- Schema 5: the strategy's change history (who changed what, when, from what to what).
-- One row per changed item. `item` names it: positioning.<field>, horizon.<horizon>,
-- target.<kpi_id>.<field>. Values are text: numbers as DuckDB writes a DOUBLE, dates
-- ISO, booleans true / false; NULL means "not set" (old_value NULL: first set).

CREATE SEQUENCE strategy_change_id_seq START 1;

CREATE TABLE strategy_changes (
    change_id  BIGINT PRIMARY KEY DEFAULT nextval('strategy_change_id_seq'),
    changed_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    changed_by VARCHAR NOT NULL,
    item       VARCHAR NOT NULL,
    old_value  VARCHAR,
    new_value  VARCHAR
);

-- A strategy saved before this history existed becomes its first entry, dated by its
-- last save, so that every later change has the value it replaced.
INSERT INTO strategy_changes (changed_at, changed_by, item, new_value)
SELECT changed_at, 'system', item, new_value FROM (
    SELECT p.updated_at AS changed_at, 0 AS part, '' AS kpi, f.pos,
           'positioning.' || f.field AS item,
           nullif(f.value, '') AS new_value
    FROM positioning AS p,
         LATERAL (VALUES (1, 'cluster_name', p.cluster_name),
                         (2, 'home_country', p.home_country),
                         (3, 'mission', p.mission),
                         (4, 'identity', p.identity),
                         (5, 'values', p.cluster_values),
                         (6, 'ambition_5y', p.ambition_5y),
                         (7, 'ambition_10y', p.ambition_10y),
                         (8, 'ambition_15y', p.ambition_15y)) AS f(pos, field, value)
    UNION ALL
    SELECT (SELECT max(updated_at) FROM positioning), 1, '',
           CASE h.horizon WHEN 'short' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END,
           'horizon.' || h.horizon, h.target_date::VARCHAR
    FROM horizons AS h
    UNION ALL
    SELECT t.updated_at, 2, t.kpi_id, f.pos, 'target.' || t.kpi_id || '.' || f.field, f.value
    FROM kpi_targets AS t,
         LATERAL (VALUES (1, 'tracked', t.tracked::VARCHAR),
                         (2, 'baseline_value', t.baseline_value::VARCHAR),
                         (3, 'baseline_date', t.baseline_date::VARCHAR),
                         (4, 'weight', t.weight::VARCHAR),
                         (5, 'short', t.target_short::VARCHAR),
                         (6, 'medium', t.target_medium::VARCHAR),
                         (7, 'long', t.target_long::VARCHAR)) AS f(pos, field, value)
) AS seed
WHERE new_value IS NOT NULL AND changed_at IS NOT NULL
ORDER BY part, kpi, pos;
