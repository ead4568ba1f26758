"""Streamlit glue: the only clusterkpi package importing streamlit (pages use it as ``ui``)."""

from __future__ import annotations

from clusterkpi.i18n import t
from clusterkpi.roles import Action
from clusterkpi.ui.admin_view import accounts_page, audit_page
from clusterkpi.ui.attention_view import where_to_act
from clusterkpi.ui.context import (
    PageContext,
    app_viewer,
    catalog,
    current_language,
    has_data,
    open_store,
    plain,
    setup_page,
)
from clusterkpi.ui.filters import ChartRange, chart_range, member_types
from clusterkpi.ui.kpi_detail import kpi_detail, kpi_picker
from clusterkpi.ui.mapping_form import mapping_form
from clusterkpi.ui.mappings import (
    MappingSample,
    MappingTarget,
    check_mapping_sample,
    mapping_sample,
    mapping_target,
    save_column_mapping,
    saved_mappings,
)
from clusterkpi.ui.membership_view import membership_panels
from clusterkpi.ui.navigation import navigation
from clusterkpi.ui.objective_view import kpi_chart, objective_page
from clusterkpi.ui.reports import import_report, mapping_link, source_label
from clusterkpi.ui.scorecard_view import (
    kpi_card,
    objective_block,
    objectives_table,
    positioning_header,
    scorecard,
    scorecard_summary,
    status_text,
)
from clusterkpi.ui.snapshots_view import snapshots_page
from clusterkpi.ui.strategy_editor import strategy_editor
from clusterkpi.ui.uploads import (
    dry_run,
    import_history_table,
    import_options,
    run_imports,
    survey_choices,
    template_downloads,
    undo_form,
    upload_files,
)

__all__ = [
    "Action",
    "accounts_page",
    "audit_page",
    "app_viewer",
    "ChartRange",
    "chart_range",
    "member_types",
    "navigation",
    "membership_panels",
    "kpi_detail",
    "kpi_picker",
    "kpi_chart",
    "objective_page",
    "MappingSample",
    "MappingTarget",
    "PageContext",
    "catalog",
    "check_mapping_sample",
    "current_language",
    "dry_run",
    "has_data",
    "import_history_table",
    "import_options",
    "import_report",
    "kpi_card",
    "mapping_form",
    "mapping_link",
    "mapping_sample",
    "mapping_target",
    "objective_block",
    "objectives_table",
    "open_store",
    "plain",
    "positioning_header",
    "run_imports",
    "survey_choices",
    "save_column_mapping",
    "saved_mappings",
    "scorecard",
    "scorecard_summary",
    "setup_page",
    "source_label",
    "snapshots_page",
    "status_text",
    "strategy_editor",
    "t",
    "template_downloads",
    "undo_form",
    "upload_files",
    "where_to_act",
]
