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
