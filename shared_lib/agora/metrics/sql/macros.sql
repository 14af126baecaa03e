-- Shared building blocks of the metric SQL files: temporary macros, created on the connection
-- before a metric runs. Every input arrives as a bound parameter; nothing is formatted into SQL.

-- agora_period: first day of the reporting bucket that a date falls in. grain is all, day, week
-- or month; weeks start on Monday so that they end on Sunday, as RTT weeks do (DATA_SPEC, Dates).
create or replace temp macro agora_period(d, grain, period_start) as
    case grain
        when 'all' then cast(period_start as date)
        -- (the inner case keeps date_trunc valid when the optimiser folds constants)
        else cast(date_trunc(case grain when 'all' then 'day' else grain end,
                             cast(d as date)) as date)
    end;

-- agora_buckets: one row per reporting bucket of the period, with its first day, its snapshot
-- date (the bucket's last day, or the period end when that comes sooner) and its number of days.
-- Point-in-time metrics (waiting lists, frequent attenders) are measured at the snapshot date.
create or replace temp macro agora_buckets(period_start, period_end, grain) as table
    select
        agora_period(d, grain, period_start) as period,
        cast(min(d) as date) as bucket_start,
        cast(max(d) as date) as snapshot_date,
        count(*) as days
    from (
        select unnest(generate_series(cast(period_start as timestamp),
                                      cast(period_end as timestamp), interval 1 day)) as d
    )
    group by all;

-- agora_age_band: age band on a date from the month of birth, in the population bands of
-- DATA_SPEC (0-17, 18-64, 65-84, 85+).
create or replace temp macro agora_age_band(birth_month, at_date) as
    case
        when birth_month is null or at_date is null then 'unknown'
        when date_sub('year', birth_month, cast(at_date as date)) < 18 then '0-17'
        when date_sub('year', birth_month, cast(at_date as date)) < 65 then '18-64'
        when date_sub('year', birth_month, cast(at_date as date)) < 85 then '65-84'
        else '85+'
    end;

-- agora_people: each person with month of birth, registered practice and its PCN, and the value
-- of a person-level breakdown (sex; deprivation decile and district of the LSOA of residence,
-- IoD 2025; registered practice; PCN of the practice). Empty when neither a person-level
-- breakdown nor an org is asked for, so the join then costs nothing.
create or replace temp macro agora_people(breakdown, org) as table
    select
        p.person_id,
        p.birth_month,
        p.practice_code,
        o.parent_code as pcn_code,
        case breakdown
            when 'sex' then p.sex
            when 'imd_decile' then cast(l.imd_decile as varchar)
            when 'district' then l.district
            when 'practice' then p.practice_code
            when 'pcn' then o.parent_code
        end as person_group
    from person as p
    left join ref_lsoa as l on l.lsoa_code = p.lsoa_code
    left join ref_org as o on o.org_code = p.practice_code
    where breakdown in ('sex', 'age_band', 'imd_decile', 'district', 'practice', 'pcn')
       or org is not null;

-- agora_group: the breakdown value of one row; 'all' without a breakdown, 'unknown' when the
-- value is missing (a person not registered in the area, an incident with no patient).
create or replace temp macro agora_group(breakdown, person_group, age_band, site_code, own) as
    coalesce(
        case
            when breakdown = 'none' then 'all'
            when breakdown = 'age_band' then age_band
            when breakdown = 'site' then site_code
            when breakdown in ('sex', 'imd_decile', 'district', 'practice', 'pcn')
                then person_group
            else own
        end,
        'unknown');

-- agora_in_org: whether a row belongs to org: the organisation that sent it, or the registered
-- practice or PCN of its patient. True when no org is asked for.
create or replace temp macro agora_in_org(org, source_org_code, practice_code, pcn_code) as
    org is null or coalesce(org in (source_org_code, practice_code, pcn_code), false);

-- agora_pct: part as a percentage of whole; null when whole is 0.
create or replace temp macro agora_pct(part, whole) as 100.0 * part / nullif(whole, 0);

-- agora_ae_counts: the attendances of relation `rows` (the name of a metric's renamed attendances:
-- person_id, site_code, source_org_code, department_type, arrival_at, `elapsed`, the interval
-- the metric times from arrival, and `meets`, whether it meets the metric's threshold) that
-- arrived in the period (by arrival date), at the site and of the department type asked for
-- ('all' = every type), sent by or registered with org; counted by reporting period and breakdown
-- group (age band at arrival). An interval that is missing or negative cannot be timed: it is
-- left out of `timed` and `met` and counted in `untimed`.
create or replace temp macro agora_ae_counts(rows, period_start, period_end, want_site, want_type,
                                             breakdown, org, grain) as table
    select
        agora_period(r.arrival_at, grain, period_start) as period,
        agora_group(breakdown, p.person_group, agora_age_band(p.birth_month, r.arrival_at),
                    r.site_code, null) as "group",
        count(*) filter (where r.elapsed >= interval 0 second) as timed,
        count(*) filter (where r.elapsed >= interval 0 second and r.meets) as met,
        count(*) filter (where (r.elapsed >= interval 0 second) is not true) as untimed
    from query_table(rows) as r
    left join agora_people(breakdown, org) as p using (person_id)
    where r.arrival_at >= period_start
      and r.arrival_at < period_end + interval 1 day
      and (want_site is null or r.site_code = want_site)
      and (want_type = 'all' or r.department_type = want_type)
      and agora_in_org(org, r.source_org_code, p.practice_code, p.pcn_code)
    group by all;

-- agora_cancer_counts: the pathways of relation `rows` (the name of a metric's renamed pathways:
-- person_id, source_org_code, tumour_site, `stop_date`, the date its clock stopped, and `days`,
-- from its clock start to stop_date) that stopped in the period, sent by or registered with org;
-- counted by reporting period and breakdown group (tumour site, or age band at the stop): valid
-- pathways, those stopped within `within_days` days (that day meets the standard), and those
-- stopped before they started (a data error, left out of the other two).
create or replace temp macro agora_cancer_counts(rows, within_days, period_start, period_end,
                                                 breakdown, org, grain) as table
    select
        agora_period(r.stop_date, grain, period_start) as period,
        agora_group(breakdown, p.person_group, agora_age_band(p.birth_month, r.stop_date),
                    null, r.tumour_site) as "group",
        count(*) filter (where r.days >= 0) as pathways,
        count(*) filter (where r.days between 0 and within_days) as within,
        count(*) filter (where r.days < 0) as invalid
    from query_table(rows) as r
    left join agora_people(breakdown, org) as p using (person_id)
    where r.stop_date between period_start and period_end
      and agora_in_org(org, r.source_org_code, p.practice_code, p.pcn_code)
    group by all;
