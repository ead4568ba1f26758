-- Schema 11: every column mapping has a name, unique, chosen by the animator, besides
-- the signature of the header it was made for (`import FILE --mapping NAME`).
-- Mappings saved before are named from their dataset and the day they last changed
-- ('members 2026-03-02', then 'members 2026-03-02 (2)' for a second one that day).
-- The table is rebuilt: DuckDB cannot index a column updated in the same transaction.

CREATE TABLE column_mappings_named (
    signature  VARCHAR PRIMARY KEY,
    dataset    VARCHAR NOT NULL,
    mapping    VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    name       VARCHAR NOT NULL UNIQUE
);

INSERT INTO column_mappings_named (signature, dataset, mapping, updated_at, name)
SELECT signature, dataset, mapping, updated_at,
       dataset || ' ' || strftime(updated_at, '%Y-%m-%d')
       || CASE WHEN rank > 1 THEN ' (' || rank || ')' ELSE '' END
FROM (
    SELECT *, row_number() OVER (PARTITION BY dataset, updated_at::DATE
                                 ORDER BY updated_at, signature) AS rank
    FROM column_mappings
);

DROP TABLE column_mappings;
ALTER TABLE column_mappings_named RENAME TO column_mappings;
