"""The report templates, written once here and generated into `templates/*.ipynb`.

Each template is a title, a parameters cell, and cells of narrative (`md:` prefix) and code that
use only the helper library (`agora.metrics`, `agora.reports.render` for tables through SDC,
offline charts and SPC, report queries in `sql/`). `python -m agora.reports.template_sources`
rewrites the notebooks; a test checks they match.
"""
from __future__ import annotations

import sys
from pathlib import Path

SETUP = ("import altair as alt\n"
         "import pandas as pd\n"
         "from agora import sdc\n"
         "from agora.reports import render as R\n"
         "R.setup()")

TEMPLATES: dict[str, dict] = {
    "uec_daily_flow": dict(
        title="Urgent and emergency care: daily flow by site",
        intro="How patients flowed through one hospital site, day by day: A&E four-hour and "
              "12-hour performance, ambulance handovers and hours lost, bed occupancy, stranded "
              "patients and delayed discharges.",
        params='site_code = "RAJ01"   # hospital site (ODS code)\n'
               'days = 28             # days up to the end of the period\n'
               'period_end = ""       # last day (YYYY-MM-DD); empty for latest data',
        cells=[
            "start, end = R.period(end=period_end, days=days)\n"
            "R.markdown(f'**Site {site_code}**, {start} to {end}.')",
            "md:## A&E: four hours and twelve hours in the department\n"
            "The standard is 95% within four hours (interim 78% in 2025/26); fewer than 10% "
            "should spend more than 12 hours in the department.",
            "ae = R.metric('ae_4hour', counts=['attendances', 'within_4_hours'],\n"
            "              stats=['pct_within_4_hours'], people='attendances',\n"
            "              columns=['period', 'attendances', 'within_4_hours', 'pct_within_4_hours'],\n"
            "              period_start=start, period_end=end, site=site_code, grain='day')\n"
            "R.chart(alt.Chart(ae).mark_line(point=True).encode(\n"
            "    x=alt.X('period:T', title='Day'), y=alt.Y('pct_within_4_hours:Q', title='% within 4 hours'))\n"
            "    .properties(width=620, height=240, title='A&E four-hour performance'), counts=['attendances', 'within_4_hours'])",
            "R.metric('ae_12_hours', counts=['attendances', 'over_12_hours'],\n"
            "         stats=['pct_over_12_hours'], people='attendances',\n"
            "         columns=['period', 'attendances', 'over_12_hours', 'pct_over_12_hours'],\n"
            "         period_start=start, period_end=end, site=site_code, grain='all')",
            "md:## Ambulance handovers\nAt least 65% within 15 minutes, 95% within 30 and all "
            "within 60; hours lost are the time beyond 15 minutes.",
            "R.metric('ambulance_handover', counts=['handovers', 'within_15_minutes', 'within_30_minutes', 'within_60_minutes'],\n"
            "         stats=['pct_within_15_minutes', 'pct_within_30_minutes', 'hours_lost_over_15_minutes'],\n"
            "         people='handovers',\n"
            "         columns=['period', 'handovers', 'within_15_minutes', 'within_30_minutes', 'within_60_minutes',\n"
            "                  'pct_within_15_minutes', 'pct_within_30_minutes', 'hours_lost_over_15_minutes'],\n"
            "         period_start=start, period_end=end, site=site_code, grain='all')",
            "md:## Beds: occupancy, stranded patients and delayed discharges\nGeneral and acute "
            "occupancy should be 92% or less. Stranded patients have been in hospital 7 days or "
            "more, super-stranded 21 days or more (daily means).",
            "beds = R.metric('bed_occupancy', counts=[], columns=['period', 'occupancy_pct', 'available_bed_days'],\n"
            "                period_start=start, period_end=end, site=site_code, grain='day')\n"
            "R.chart(alt.Chart(beds).mark_line().encode(\n"
            "    x=alt.X('period:T', title='Day'), y=alt.Y('occupancy_pct:Q', title='Occupancy %'))\n"
            "    .properties(width=620, height=220, title='General and acute bed occupancy'), counts=[])",
            "R.metric('stranded', counts=[], columns=['period', 'days', 'mean_inpatients', 'mean_stranded', 'mean_super_stranded'],\n"
            "         period_start=start, period_end=end, site=site_code, grain='all')",
            "R.metric('delayed_discharge', counts=['discharges', 'delayed'], stats=['mean_delay_days'],\n"
            "         people='delayed', columns=['pathway', 'discharges', 'delayed', 'mean_delay_days'],\n"
            "         period_start=start, period_end=end, site=site_code, grain='all')",
        ]),
    "ae_monthly_spc": dict(
        title="A&E performance by month, with SPC",
        intro="Monthly A&E four-hour and 12-hour performance as statistical process control "
              "charts (NHS England's Making Data Count): is the change we see signal or noise, "
              "and can the system be relied on to meet the standard?",
        params='site_code = ""    # hospital site (ODS code); empty for all sites\n'
               'months = 12       # months up to the end of the period\n'
               'period_end = ""   # last day (YYYY-MM-DD); empty for latest data',
        cells=[
            "start, end = R.period(months=months, end=period_end)\n"
            "where = {'site': site_code} if site_code else {}\n"
            "R.markdown(f\"**{site_code or 'All sites'}**, {start} to {end}.\")",
            "md:## Four-hour performance\nInterim standard 78% (2025/26); the constitutional "
            "standard is 95%.",
            "ae = R.metric('ae_4hour', counts=['attendances', 'within_4_hours'], stats=['pct_within_4_hours'],\n"
            "              people='attendances', columns=['period', 'attendances', 'within_4_hours', 'pct_within_4_hours'],\n"
            "              period_start=start, period_end=end, grain='month', **where)\n"
            "R.spc(ae.dropna(subset=['pct_within_4_hours']), 'period', 'pct_within_4_hours',\n"
            "      'A&E four-hour performance', improvement='increase', target=78, y_title='% within 4 hours')",
            "md:## Twelve hours in the department\nObjective: fewer than 10% of attendances.",
            "long = R.metric('ae_12_hours', counts=['attendances', 'over_12_hours'], stats=['pct_over_12_hours'],\n"
            "                people='attendances', columns=['period', 'attendances', 'over_12_hours', 'pct_over_12_hours'],\n"
            "                period_start=start, period_end=end, grain='month', **where)\n"
            "R.spc(long.dropna(subset=['pct_over_12_hours']), 'period', 'pct_over_12_hours',\n"
            "      'More than 12 hours in A&E', improvement='decrease', target=10, y_title='% over 12 hours')",
        ]),
    "phm_segmentation": dict(
        title="Population health: segments and risk tiers",
        intro="The registered population by Bridges to Health segment and by risk tier of a "
              "12-month emergency admission (top 0.5%, 0.5-5%, 5-20%, the rest).",
        params='pcn_code = ""   # primary care network (ODS code); empty for the whole partnership',
        cells=[
            "seg = R.query('phm_segments', {'pcn': pcn_code})\n"
            "R.markdown(f\"**{pcn_code or 'Whole partnership'}**: people registered, National Data Opt-out honoured.\")",
            "tiers = ['tier_top_0_5', 'tier_0_5_to_5', 'tier_5_to_20', 'tier_rest']\n"
            "shown = R.table(seg, counts=tiers + ['people'], caption='People by segment and risk tier')",
            "md:Segments in order of need: end of life, organ failure, frailty, disability, "
            "chronic conditions, maternity, acutely ill, healthy. People in the top risk tiers "
            "are the usual focus of proactive care.",
            "long = shown.melt(id_vars='segment', value_vars=tiers, var_name='tier', value_name='n').dropna()\n"
            "R.chart(alt.Chart(long).mark_bar().encode(\n"
            "    y=alt.Y('segment:N', sort='-x', title=None), x=alt.X('sum(n):Q', title='People'),\n"
            "    color=alt.Color('tier:N', title='Risk tier')).properties(width=560, height=260,\n"
            "    title='People by segment and risk tier'), data=long, counts=['n'])",
        ]),
    "inequalities": dict(
        title="Inequalities by deprivation",
        intro="Use of urgent care by deprivation decile of residence (IMD 2025, 1 = most "
              "deprived): registered people, A&E attendances and emergency admissions, with "
              "rates per 1,000 people computed from the protected counts.",
        params='months = 12       # months up to the end of the period\n'
               'period_end = ""   # last day (YYYY-MM-DD); empty for latest data',
        cells=[
            "start, end = R.period(months=months, end=period_end)\n"
            "raw = R.query('inequalities', {'start': start, 'end': end})\n"
            "R.markdown(f'{start} to {end}.')",
            "counts = ['people', 'ae_attendances', 'emergency_admissions']\n"
            "t = R.protect(raw, counts)\n"
            "t = sdc.with_rate(t, 'ae_attendances', 'people', 'ae_per_1000', per=1000)\n"
            "t = sdc.with_rate(t, 'emergency_admissions', 'people', 'emergency_per_1000', per=1000)\n"
            "R.table(t, counts=counts, protected=True, caption='Activity by IMD decile (1 = most deprived)')",
            "R.chart(alt.Chart(t.dropna(subset=['ae_per_1000'])).mark_bar().encode(\n"
            "    x=alt.X('imd_decile:O', title='IMD decile (1 = most deprived)'),\n"
            "    y=alt.Y('ae_per_1000:Q', title='A&E attendances per 1,000')).properties(\n"
            "    width=520, height=240, title='A&E attendances per 1,000 people'), counts=counts)",
            "md:Nationally, A&E use in the most deprived decile is about twice that in the least. "
            "Four-hour performance by decile shows whether waits are shared fairly:",
            "R.metric('ae_4hour', counts=['attendances', 'within_4_hours'], stats=['pct_within_4_hours'],\n"
            "         people='attendances', columns=['group', 'attendances', 'within_4_hours', 'pct_within_4_hours'],\n"
            "         period_start=start, period_end=end, breakdown='imd_decile', grain='all')",
        ]),
    "diabetes": dict(
        title="Diabetes: prevalence, risk factors and outcomes by area",
        intro="People aged 17 and over with diabetes by district, the share of them also "
              "living with hypertension or chronic kidney disease, and those with an emergency "
              "admission in the last 12 months. Recorded prevalence in England is about 7.5%.",
        params='district = ""   # local authority district; empty for all districts',
        cells=[
            "raw = R.query('diabetes')\n"
            "if district:\n"
            "    raw = raw[raw['district'] == district]\n"
            "counts = ['adults', 'diabetes', 'with_hypertension', 'with_ckd', 'emergency_admitted']\n"
            "t = R.protect(raw, counts)\n"
            "t = sdc.with_rate(t, 'diabetes', 'adults', 'prevalence_pct')\n"
            "t = sdc.with_rate(t, 'with_hypertension', 'diabetes', 'hypertension_pct')\n"
            "t = sdc.with_rate(t, 'emergency_admitted', 'diabetes', 'emergency_pct')\n"
            "R.table(t, counts=counts, protected=True, caption='Diabetes by district (aged 17+)')",
            "R.chart(alt.Chart(t.dropna(subset=['prevalence_pct'])).mark_bar().encode(\n"
            "    y=alt.Y('district:N', sort='-x', title=None), x=alt.X('prevalence_pct:Q', title='Recorded prevalence %'))\n"
            "    .properties(width=520, height=240, title='Diabetes prevalence by district'), counts=counts)",
        ]),
    "cancer_pathway": dict(
        title="Cancer pathway: Faster Diagnosis, 62-day and 31-day standards",
        intro="Urgent suspected cancer referrals told of a diagnosis (or that cancer is ruled "
              "out) within 28 days (standard 80%), first treatment within 62 days of referral "
              "(85%) and within 31 days of the decision to treat (96%).",
        params='months = 12       # months up to the end of the period\n'
               'period_end = ""   # last day (YYYY-MM-DD); empty for latest data',
        cells=[
            "start, end = R.period(months=months, end=period_end)\n"
            "R.markdown(f'{start} to {end}.')",
            "md:## Faster Diagnosis Standard (28 days)",
            "fds = R.metric('cancer_fds_28_day', counts=['pathways', 'within_28_days'], stats=['pct_within_28_days'],\n"
            "               people='pathways', columns=['period', 'pathways', 'within_28_days', 'pct_within_28_days'],\n"
            "               period_start=start, period_end=end, grain='month')\n"
            "R.spc(fds.dropna(subset=['pct_within_28_days']), 'period', 'pct_within_28_days',\n"
            "      'Faster Diagnosis Standard', improvement='increase', target=80, y_title='% within 28 days')",
            "md:## 62-day and 31-day standards, by tumour site",
            "R.metric('cancer_62_day', counts=['pathways', 'within_62_days'], stats=['pct_within_62_days'],\n"
            "         people='pathways', columns=['group', 'pathways', 'within_62_days', 'pct_within_62_days'],\n"
            "         period_start=start, period_end=end, breakdown='tumour_site', grain='all')",
            "R.metric('cancer_31_day', counts=['pathways', 'within_31_days'], stats=['pct_within_31_days'],\n"
            "         people='pathways', columns=['group', 'pathways', 'within_31_days', 'pct_within_31_days'],\n"
            "         period_start=start, period_end=end, breakdown='tumour_site', grain='all')",
        ]),
    "planned_care": dict(
        title="Planned care recovery: waiting list, long waiters and bottlenecks",
        intro="The referral-to-treatment (RTT) waiting list by specialty against the 18-week "
              "standard (92% of incomplete pathways), the 52+ week waiters, and where the list is "
              "projected to grow because referrals outpace activity.",
        params='months = 12        # months of referrals and activity behind the projection\n'
               'horizon_weeks = 26 # weeks ahead to project\n'
               'period_end = ""    # last day (YYYY-MM-DD); empty for latest data',
        cells=[
            "start, end = R.period(months=months, end=period_end)\n"
            "R.markdown(f'Waiting list at {end}; flows {start} to {end}.')",
            "md:## Waiting list by specialty",
            "wl = R.metric('rtt_waiting_list', counts=['incomplete', 'within_18_weeks', 'weeks_52_plus', 'weeks_65_plus'],\n"
            "              stats=['pct_within_18_weeks', 'p92_weeks'], people='incomplete',\n"
            "              columns=['group', 'incomplete', 'within_18_weeks', 'pct_within_18_weeks', 'weeks_52_plus',\n"
            "                       'weeks_65_plus', 'p92_weeks'],\n"
            "              period_start=start, period_end=end, breakdown='treatment_function')\n"
            "R.chart(alt.Chart(wl.dropna(subset=['pct_within_18_weeks'])).mark_bar().encode(\n"
            "    y=alt.Y('group:N', sort='x', title='Treatment function'), x=alt.X('pct_within_18_weeks:Q', title='% within 18 weeks'))\n"
            "    .properties(width=520, height=280, title='Waiting under 18 weeks by specialty'),\n"
            "    counts=['incomplete', 'within_18_weeks', 'weeks_52_plus', 'weeks_65_plus'])",
            "md:## Projected bottlenecks\nSpecialties whose referrals exceed their activity are "
            "flagged as bottlenecks; the projection is a straight-line stock and flow.",
            "R.metric('rtt_projection', counts=['waiting_now', 'clock_starts', 'clock_stops', 'at_risk_52_weeks'],\n"
            "         stats=['projected_waiting', 'net_growth_per_week'], people='waiting_now',\n"
            "         columns=['group', 'waiting_now', 'clock_starts', 'clock_stops', 'net_growth_per_week',\n"
            "                  'projected_waiting', 'bottleneck', 'at_risk_52_weeks'],\n"
            "         period_start=start, period_end=end, horizon_weeks=horizon_weeks)",
        ]),
    "frequent_users": dict(
        title="Frequent users of A&E (counts only)",
        intro="People attending A&E 3 or more times in the rolling 12 months (5+ and 10+ "
              "beside it), by primary care network. Counts only: no person is identified.",
        params='pcn_code = ""     # primary care network (ODS code); empty for all PCNs\n'
               'months = 12       # months up to the end of the period\n'
               'period_end = ""   # last day (YYYY-MM-DD); empty for latest data',
        cells=[
            "start, end = R.period(months=months, end=period_end)\n"
            "where = {'org': pcn_code} if pcn_code else {}\n"
            "R.markdown(f\"**{pcn_code or 'All PCNs'}**, 12 months to {end}.\")",
            "counts = ['people_attending', 'frequent_3_plus', 'frequent_5_plus', 'frequent_10_plus',\n"
            "          'attendances', 'attendances_by_frequent_3_plus']\n"
            "t = R.metric('frequent_attenders', counts=counts, columns=['group'] + counts,\n"
            "             period_start=start, period_end=end, breakdown='pcn', grain='all', **where)\n"
            "t = sdc.with_rate(t, 'attendances_by_frequent_3_plus', 'attendances', 'share_pct')",
            "md:The share of all attendances made by frequent attenders, from the protected counts:",
            "R.table(t[['group', 'attendances', 'attendances_by_frequent_3_plus', 'share_pct']],\n"
            "        counts=['attendances', 'attendances_by_frequent_3_plus'], protected=True)",
            "R.chart(alt.Chart(t.dropna(subset=['frequent_3_plus'])).mark_bar().encode(\n"
            "    y=alt.Y('group:N', sort='-x', title='PCN'), x=alt.X('frequent_3_plus:Q', title='People with 3+ attendances'))\n"
            "    .properties(width=520, height=320, title='Frequent attenders by PCN'), counts=counts)",
        ]),
    "ageing_well": dict(
        title="Ageing Well: frailty and dementia",
        intro="People aged 65 and over by Electronic Frailty Index category (fit, mild, "
              "moderate, severe), with recorded dementia, and in the Ageing Well cohort "
              "(moderate or severe frailty, dementia, or end of life) for care coordination.",
        params='pcn_code = ""   # primary care network (ODS code); empty for all PCNs',
        cells=[
            "raw = R.query('ageing_well', {'pcn': pcn_code})\n"
            "counts = ['people_65_plus', 'fit', 'mild', 'moderate', 'severe', 'dementia', 'ageing_well_cohort']\n"
            "t = R.table(raw, counts=counts, caption='People aged 65+ by PCN')",
            "md:Frailty among people aged 65+ (expected nationally: about half fit, 35% mild, 12% "
            "moderate, 3% severe):",
            "long = t.melt(id_vars='pcn_code', value_vars=['fit', 'mild', 'moderate', 'severe'],\n"
            "              var_name='frailty', value_name='n').dropna()\n"
            "R.chart(alt.Chart(long).mark_bar().encode(\n"
            "    y=alt.Y('pcn_code:N', title='PCN'), x=alt.X('sum(n):Q', stack='normalize', title='Share of people 65+'),\n"
            "    color=alt.Color('frailty:N', sort=['fit', 'mild', 'moderate', 'severe']))\n"
            "    .properties(width=520, height=360, title='Frailty by PCN'), data=long, counts=['n'])",
        ]),
    "data_quality": dict(
        title="Data quality summary",
        intro="Data quality checks on the feeds an organisation sends (completeness, validity, "
              "consistency, timeliness) and its open issues in the data quality issues register.",
        params='org_code = "RAJ"   # sending organisation (ODS or ONS code)',
        cells=[
            "from agora import dq\n"
            "s = dq.summary(org_code)\n"
            "R.headline({'Organisation': org_code, 'Checks': s['checks'],\n"
            "            'Checks finding problems': s['checks_failing'], 'Open issues': s['open_issues']})",
            "md:## Checks by table and dimension",
            "res = s['results'][['table_name', 'dimension', 'checks', 'checks_failing', 'rows_checked', 'rows_failed']]\n"
            "t = R.table(res, counts=['rows_checked', 'rows_failed'], caption='Rows checked and failing')\n"
            "t = sdc.with_rate(t, 'rows_failed', 'rows_checked', 'pct_failed', dp=2)\n"
            "R.chart(alt.Chart(t.dropna(subset=['pct_failed'])).mark_bar().encode(\n"
            "    y=alt.Y('table_name:N', title=None), x=alt.X('max(pct_failed):Q', title='% rows failing (worst dimension)'))\n"
            "    .properties(width=520, height=300, title='Rows failing checks'), counts=['rows_checked', 'rows_failed'])",
            "md:## Open issues",
            "R.table(s['issues'][['issue_id', 'title', 'table_name', 'status', 'priority']], counts=[],\n"
            "        caption='Open issues in the register' if len(s['issues']) else 'No open issues.')",
        ]),
}


def notebook(name: str):
    """The notebook for template `name`."""
    import nbformat as nbf

    spec = TEMPLATES[name]
    nb = nbf.v4.new_notebook()
    params = nbf.v4.new_code_cell(spec["params"])
    params.metadata["tags"] = ["parameters"]
    cells = [nbf.v4.new_markdown_cell(f"# {spec['title']}\n\n{spec['intro']}"), params,
             nbf.v4.new_code_cell(SETUP)]
    for source in spec["cells"]:
        cells.append(nbf.v4.new_markdown_cell(source[3:]) if source.startswith("md:")
                     else nbf.v4.new_code_cell(source))
    cells.append(nbf.v4.new_markdown_cell(
        "*Counts of 1-7 are shown as `*` and other counts rounded to the nearest 5 (NHS England "
        "HES rule); rates and percentages are computed from the protected counts.*"))
    for i, cell in enumerate(cells):
        cell.id = f"{name[:40]}-{i}"
    nb.cells = cells
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def write_all(folder: Path) -> list[Path]:
    import nbformat as nbf

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in TEMPLATES:
        path = folder / f"{name}.ipynb"
        nbf.write(notebook(name), path)
        written.append(path)
    return written


if __name__ == "__main__":
    from agora.config import settings

    for p in write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else settings().templates_dir):
        print(p)
