-- A synthetic store for the metrics benchmark: the model tables the metrics read, at $scale
-- (1.0 = DATA_SPEC volumes for 1.2 million residents: 550k A&E attendances, 180k ambulance
-- incidents, 320k admissions, a waiting list of about 160k), one financial year 2025/26 plus
-- history for waiting lists. Generated in SQL (no Python loop); deterministic with setseed.
select setseed(0.42);

create table ref_lsoa as
select
    'E01' || lpad(cast(i as varchar), 6, '0') as lsoa_code,
    'E02' || lpad(cast(i // 5 as varchar), 6, '0') as msoa_code,
    (['Basildon', 'Braintree', 'Brentwood', 'Castle Point', 'Chelmsford', 'Maldon', 'Rochford',
      'Southend-on-Sea', 'Thurrock'])[1 + i % 9] as district,
    1 + (i * 7) % 10 as imd_decile,
    1600 as population
from range(cast(greatest(20, 750 * $scale) as bigint)) as t(i);

create table ref_org as
select 'F81' || lpad(cast(i as varchar), 3, '0') as org_code, 'Practice ' || i as name,
       'practice' as org_type, 'U' || lpad(cast(i % 27 as varchar), 5, '0') as parent_code,
       null as district
from range(150) as t(i);

create table person as
select
    sha256('p' || i) as person_id,
    false as id_from_local,
    case when random() < 0.49 then 'M' else 'F' end as sex,
    cast(date '2025-12-01' - to_months(cast(floor(pow(random(), 1.4) * 1100) as integer))
         as date) as birth_month,
    'E01' || lpad(cast(i % cast(greatest(20, 750 * $scale) as bigint) as varchar), 6, '0')
        as lsoa_code,
    'F81' || lpad(cast(i % 150 as varchar), 3, '0') as practice_code,
    null::date as death_date,
    false as opt_out
from range(cast(1200000 * $scale as bigint)) as t(i);

create table ae_attendance as
with base as (
    select
        i,
        sha256('p' || cast(floor(pow(random(), 1.5) * 1200000 * $scale) as bigint)) as person_id,
        timestamp '2025-04-01' + to_seconds(cast(random() * 365 * 86400 as bigint)) as arrival_at,
        random() as r_dept, random() as r_time, random() as r_assess, random() as r_miss
    from range(cast(550000 * $scale as bigint)) as t(i)
)
select
    'A' || i as attendance_id,
    person_id,
    false as id_from_local,
    case when r_dept < 0.65 then 'RAJ0' || (1 + i % 3) else 'RAJ04' end as site_code,
    case when r_dept < 0.65 then '01' else '03' end as department_type,
    case when r_dept < 0.3 then 'ambulance' else 'walk_in' end as arrival_mode,
    arrival_at,
    case when r_miss > 0.05 then arrival_at + to_seconds(cast(r_assess * 2400 as bigint))
        end as initial_assessment_at,
    case when r_miss > 0.02
         then arrival_at + to_seconds(cast(1800 + pow(r_time, 3) * 16 * 3600 as bigint))
        end as departure_at,
    'RAJ' as source_org_code
from base;

create table ambulance_incident as
with base as (
    select
        i,
        timestamp '2025-04-01' + to_seconds(cast(random() * 365 * 86400 as bigint))
            as call_connect_at,
        random() as r_cat, random() as r_time, random() as r_out, random() as r_hand
    from range(cast(180000 * $scale as bigint)) as t(i)
),
typed as (
    select *,
        case when r_cat < 0.1 then 'C1' when r_cat < 0.6 then 'C2'
             when r_cat < 0.9 then 'C3' else 'C4' end as category,
        case when r_out < 0.1 then 'hear_and_treat' when r_out < 0.4 then 'see_and_treat'
             when r_out < 0.91 then 'conveyed_ed' else 'conveyed_other' end as outcome
    from base
)
select
    'I' || i as incident_id,
    case when i % 10 > 0
         then sha256('p' || cast(floor(random() * 1200000 * $scale) as bigint)) end as person_id,
    false as id_from_local,
    call_connect_at,
    category,
    case when outcome <> 'hear_and_treat'
         then call_connect_at + to_seconds(cast(180 + pow(r_time, 2) *
              (case category when 'C1' then 1200 when 'C2' then 4800 else 14400 end) as bigint))
        end as clock_stop_at,
    outcome,
    case when outcome = 'conveyed_ed' then 'RAJ0' || (1 + i % 3) end as destination_site_code,
    case when outcome = 'conveyed_ed'
         then call_connect_at + to_seconds(cast(3600 + r_time * 3600 as bigint))
        end as hospital_arrival_at,
    case when outcome = 'conveyed_ed'
         then call_connect_at + to_seconds(cast(3600 + r_time * 3600 + pow(r_hand, 2) * 5400
                                                 as bigint))
        end as handover_at,
    'RYC' as source_org_code
from typed;

create table apc_spell as
with base as (
    select
        i,
        i < 135000 * $scale as emergency,
        sha256('p' || cast(floor(random() * 1200000 * $scale) as bigint)) as person_id,
        timestamp '2025-02-01' + to_seconds(cast(random() * 424 * 86400 as bigint))
            as admission_at,
        random() as r_los, random() as r_ready, random() as r_path
    from range(cast(320000 * $scale as bigint)) as t(i)
),
stays as (
    select *,
        case when emergency then to_seconds(cast(-ln(1 - r_los * 0.999) * 5 * 86400 as bigint))
             when r_los < 0.8 then to_seconds(21600)
             else to_seconds(cast(r_los * 4 * 86400 as bigint)) end as los
    from base
)
select
    'S' || i as spell_id,
    person_id,
    false as id_from_local,
    'RAJ0' || (1 + i % 3) as site_code,
    admission_at,
    case when admission_at + los < timestamp '2026-04-01' then admission_at + los
        end as discharge_at,
    case when emergency then '21' else '11' end as admission_method,
    case when emergency or r_los >= 0.8 then '1' else '2' end as patient_class,
    (['100', '101', '110', '120', '130', '300', '301', '320', '330', '340', '400', '410',
      '430', '502', '503'])[1 + i % 15] as treatment_function,
    case when emergency and r_ready < 0.3
         then cast(admission_at + los - to_days(cast(floor(r_path * 6) as integer)) as date)
        end as discharge_ready_date,
    case when emergency and r_ready < 0.3 then cast(floor(r_path * 4) as integer)
        end as discharge_pathway,
    emergency as is_emergency,
    'RAJ' as source_org_code
from stays;

create table bed_daily as
select
    'RAJ0' || s as site_code,
    cast(d as date) as snapshot_date,
    cast(300 * $scale * 3 + 20 as integer) as ga_beds_available,
    cast((300 * $scale * 3 + 20) * (0.85 + 0.12 * random()) as integer) as ga_beds_occupied,
    cast(random() * 10 as integer) as escalation_beds,
    cast(random() * 60 * $scale + 2 as integer) as no_criteria_to_reside,
    'RAJ' as source_org_code
from range(1, 4) as s(s),
     range(date '2025-04-01', date '2026-04-01', interval 1 day) as t(d);

create table rtt_pathway as
with base as (
    select
        i,
        date '2023-04-01' + cast(floor(pow(random(), 0.5) * 1096) as integer) as clock_start_date,
        random() as r_stop, random() as r_wait
    from range(cast(700000 * $scale as bigint)) as t(i)
)
select
    'R' || i as rtt_pathway_id,
    sha256('p' || cast(floor(random() * 1200000 * $scale) as bigint)) as person_id,
    false as id_from_local,
    (['100', '101', '110', '120', '130', '300', '301', '320', '330', '340', '400', '410',
      '430', '502', '503'])[1 + i % 15] as treatment_function,
    clock_start_date,
    case when r_stop < 0.8 and clock_start_date + cast(r_wait * 400 as integer) < date '2026-04-01'
         then clock_start_date + cast(r_wait * 400 as integer) end as clock_stop_date,
    'RAJ' as source_org_code
from base;

create table cancer_pathway as
with base as (
    select
        i,
        date '2025-01-01' + cast(floor(random() * 455) as integer) as referral_date,
        random() as r_dx, random() as r_conf, random() as r_tx
    from range(cast(40000 * $scale as bigint)) as t(i)
)
select
    'C' || i as cancer_pathway_id,
    sha256('p' || cast(floor(random() * 1200000 * $scale) as bigint)) as person_id,
    false as id_from_local,
    referral_date,
    (['lung', 'breast', 'lower_gi', 'skin', 'urology'])[1 + i % 5] as tumour_site,
    case when r_dx < 0.95 then referral_date + cast(r_dx * 45 as integer) end as diagnosis_date,
    r_dx < 0.95 and r_conf < 0.1 as cancer_confirmed,
    case when r_dx < 0.95 and r_conf < 0.1
         then referral_date + cast(r_dx * 45 as integer) + cast(r_tx * 20 as integer)
        end as decision_to_treat_date,
    case when r_dx < 0.95 and r_conf < 0.1
         then referral_date + cast(r_dx * 45 as integer) + cast(r_tx * 50 as integer)
        end as first_treatment_date,
    'RAJ' as source_org_code
from base;
