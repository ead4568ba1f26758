-- Schema 6: quarterly board snapshots, frozen as of the quarter's last day.
-- Written once by clusterkpi.snapshot_store and never changed: the only later write
-- records the approval, once (approved_at / approved_by, and a snapshot_approvals row).
-- Nothing here is ever deleted. Objectives and KPIs keep the catalogue's order in
-- `position`; statuses are clusterkpi.progress.Status values.

CREATE SEQUENCE snapshot_id_seq START 1;

CREATE TABLE snapshots (
    snapshot_id     BIGINT PRIMARY KEY DEFAULT nextval('snapshot_id_seq'),
    quarter         VARCHAR NOT NULL UNIQUE,      -- 2026Q3
    as_of           DATE NOT NULL,                -- the quarter's last day
    created_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
    created_by      VARCHAR NOT NULL,
    catalog_version INTEGER NOT NULL,
    strategy        VARCHAR,                      -- the strategy in force (JSON); NULL: none saved
    positioning     VARCHAR,                      -- its positioning (JSON); NULL: none saved
    horizon_short   DATE NOT NULL,
    horizon_medium  DATE NOT NULL,
    horizon_long    DATE NOT NULL,
    on_track_ratio  DOUBLE NOT NULL,              -- status thresholds the statuses used
    at_risk_ratio   DOUBLE NOT NULL,
    notes           VARCHAR NOT NULL DEFAULT '{}', -- JSON object of texts
    approved_at     TIMESTAMP,
    approved_by     VARCHAR,
    CHECK ((approved_at IS NULL) = (approved_by IS NULL))
);

-- One row per objective: its group and the animator's commentary.
CREATE TABLE snapshot_objectives (
    snapshot_id     BIGINT NOT NULL,
    position        INTEGER NOT NULL,
    objective_id    VARCHAR NOT NULL,
    objective_group VARCHAR NOT NULL,
    commentary      VARCHAR NOT NULL DEFAULT '',
    PRIMARY KEY (snapshot_id, objective_id)
);

-- One row per objective and horizon: the roll-up of its tracked KPIs.
CREATE TABLE snapshot_objective_horizons (
    snapshot_id  BIGINT NOT NULL,
    objective_id VARCHAR NOT NULL,
    horizon      VARCHAR NOT NULL CHECK (horizon IN ('short', 'medium', 'long')),
    status       VARCHAR NOT NULL CHECK (status IN ('achieved', 'on_track', 'at_risk', 'off_track',
                 'no_data')),
    progress     DOUBLE,
    PRIMARY KEY (snapshot_id, objective_id, horizon)
);

-- One row per KPI: what does not depend on the horizon.
CREATE TABLE snapshot_kpis (
    snapshot_id  BIGINT NOT NULL,
    position     INTEGER NOT NULL,
    kpi_id       VARCHAR NOT NULL,
    objective_id VARCHAR NOT NULL,
    value        DOUBLE,
    previous     DOUBLE,                -- the quarter before, as computed when frozen
    baseline     DOUBLE,                -- in the quarter's terms
    weight       DOUBLE NOT NULL,
    tracked      BOOLEAN NOT NULL,
    manual       BOOLEAN NOT NULL,      -- the value was entered by hand
    history      VARCHAR NOT NULL,      -- JSON [[quarter, value], ...], oldest first
    PRIMARY KEY (snapshot_id, kpi_id)
);

-- One row per KPI and horizon: target (in the quarter's terms), status, trend.
CREATE TABLE snapshot_kpi_horizons (
    snapshot_id BIGINT NOT NULL,
    kpi_id      VARCHAR NOT NULL,
    horizon     VARCHAR NOT NULL CHECK (horizon IN ('short', 'medium', 'long')),
    target      DOUBLE,
    status      VARCHAR NOT NULL CHECK (status IN ('achieved', 'on_track', 'at_risk', 'off_track',
                 'no_data')),
    progress    DOUBLE,
    forecast    DOUBLE,
    PRIMARY KEY (snapshot_id, kpi_id, horizon)
);

-- The approval, as an audit row; its key allows one approval per snapshot.
CREATE TABLE snapshot_approvals (
    snapshot_id BIGINT PRIMARY KEY,
    approved_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    approved_by VARCHAR NOT NULL
);
