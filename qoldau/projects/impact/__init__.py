"""The impact report: people reached, participations, events, volunteers and experts,
filtered and broken down by place, organisation, project, category, funding and time.

Selectors only (every write is in `services.py`), one module per area: `filters` (what a
report counts), `live` (counting over the rows), `cells` (the reach cells), `report` (the
report in the user's scope) and `public` (the public figures). Callers import from the
package: `from qoldau.projects.impact import impact_report`.

"People reached" is always an exact count of distinct persons — de-duplicated across
projects, organisations and regions by the person's identity (the IIN's keyed hash shared
by every organisation's record of the person). Two paths give the same figures:

- the live path counts over the deliveries and attendance themselves (any filter);
- the reach cells (`ReachCell`, kept by `reach_refresh`) answer the national and regional
  slices by region, district, category and month without counting millions of rows, and
  are used only where no write has made them stale since their last refresh.

`tests/test_impact.py` checks that both paths agree.

Public figures (no sign-in) follow four rules, all applied in `shown_figures` (and by
`public_count` for a single figure elsewhere), so the API, the public dashboard and the
grant calls' pages cannot differ:

1. Whole calendar periods only: a year, a quarter or a month (`public_period_check`).
   Two arbitrary ranges a day apart differ by the people served on that day.
2. A count of 1 to threshold-1 people (or participations) is hidden ("fewer than N").
3. Where a total and its parts are shown together (deliveries and attendances; the
   projects; the rows of a breakdown; each line and column of a two-way table) the hidden
   parts are never alone and add up to at least the threshold (`suppressed_line`,
   `suppressed_table`): the total minus the shown parts reveals neither a hidden figure
   nor a small sum.
4. Every figure shown is rounded to the nearest multiple of the threshold
   (`public_round`). Rules 1-3 cannot stop subtraction across answers by themselves: the
   public may ask for every cell of a lattice of nested figures (a year, its quarters and
   months; the country, a region and its districts; all, an organisation and its
   projects; all and one category or funding source; the rows of any breakdown), the same
   cell appears in many answers, and the data grow every day. Exact figures would let a
   year minus a quarter, a region minus a district, today's total minus yesterday's, or a
   total minus parts asked for one by one (which undoes any complementary suppression
   chosen per answer) reveal a small group. Suppression consistent across every possible
   answer is the cell-suppression problem over the whole lattice, far too large to solve
   per request. With every shown figure a multiple of the threshold, the difference of
   any two shown figures, and a total minus the sum of any shown parts, is a multiple of
   the threshold too: never 1 to threshold-1. And no public figure is exact, so none can
   be subtracted from an exact figure known elsewhere (an NGO knows its own).

Events (a count of events, not of people) stay exact. Signed-in users get exact figures
of any period within their scope. `tests/test_public_figures.py` runs the differencing
attack over periods, places, organisations and projects, categories, funding and
breakdowns through the public API and dashboard, and the same attack on the exact
figures, where it must find what the public ones hide.
"""

from qoldau.projects.impact.cells import (
    latest_year_with_participations,
    people_reached_by_region_category_month,
    reach_cells_of_slice,
)
from qoldau.projects.impact.filters import (
    CELL_DIMENSIONS,
    DIMENSIONS,
    FIRST_YEAR,
    LAST_YEAR,
    ImpactFilter,
    percent_share,
    period_dates,
)
from qoldau.projects.impact.public import (
    PUBLIC_PERIOD_ONLY,
    ShownFigures,
    public_count,
    public_period_check,
    public_round,
    shown_figures,
    suppressed_line,
    suppressed_table,
)
from qoldau.projects.impact.report import (
    BreakdownRow,
    ImpactReport,
    ProjectReach,
    dimension_label,
    dimension_values,
    impact_filter_in_scope,
    impact_report,
    impact_request_check,
)

__all__ = [
    "CELL_DIMENSIONS",
    "DIMENSIONS",
    "FIRST_YEAR",
    "LAST_YEAR",
    "PUBLIC_PERIOD_ONLY",
    "BreakdownRow",
    "ImpactFilter",
    "ImpactReport",
    "ProjectReach",
    "ShownFigures",
    "dimension_label",
    "dimension_values",
    "impact_filter_in_scope",
    "impact_report",
    "impact_request_check",
    "latest_year_with_participations",
    "people_reached_by_region_category_month",
    "percent_share",
    "period_dates",
    "public_count",
    "public_period_check",
    "public_round",
    "reach_cells_of_slice",
    "shown_figures",
    "suppressed_line",
    "suppressed_table",
]
