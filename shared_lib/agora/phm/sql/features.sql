-- Population health measures per person alive and born by the reference date $ref.
-- Rules (eFI deficits, CMS conditions, long-term conditions, flags) come from phm_rule, one row
-- per (rule, codelist): a rule is met when at least min_count coded records fall in its lookback
-- (NULL = ever, up to $ref). Definitions and sources: agora.phm.definitions (DATA_SPEC.md).
-- Activity windows: *_12m count the last $year_days days; *_window the last $window_days days
-- (the risk model's predictor window); outcome_admissions counts emergency admissions in the
-- $horizon_days after $ref (the risk model's outcome, known only for past reference dates).
CREATE OR REPLACE TEMP TABLE phm_features AS
WITH people AS (
    SELECT
        k.pk,
        p.person_id,
        p.sex,
        p.opt_out,
        l.imd_decile,
        date_sub('year', p.birth_month, CAST($ref AS DATE)) AS age
    FROM person p
    JOIN phm_person k ON k.person_id = p.person_id
    LEFT JOIN ref_lsoa l ON l.lsoa_code = p.lsoa_code
    WHERE p.birth_month <= $ref
      AND (p.death_date IS NULL OR p.death_date > $ref)
),
rules AS (
    SELECT DISTINCT c.list_id, r.rule_set, r.name, r.weight, r.lookback_days, r.min_count
    FROM phm_rule r
    JOIN phm_codelist c ON c.codelist = r.codelist
),
rule_hits AS (
    SELECT c.pk, r.rule_set, r.name, any_value(r.weight) AS weight
    FROM phm_coded c
    JOIN rules r ON r.list_id = c.list_id
    WHERE c.event_date <= $ref
      AND (r.lookback_days IS NULL OR c.event_date > CAST($ref AS DATE) - CAST(r.lookback_days AS INTEGER))
    GROUP BY c.pk, r.rule_set, r.name, r.min_count
    HAVING count(*) >= r.min_count
),
rules_per_person AS (
    SELECT
        pk,
        count(*) FILTER (WHERE rule_set = 'efi') AS efi_coded,
        coalesce(sum(weight) FILTER (WHERE rule_set = 'cms'), 0) AS cms,
        count(*) FILTER (WHERE rule_set = 'ltc') AS ltc_count,
        bool_or(rule_set = 'flag' AND name = 'end_of_life') AS end_of_life,
        bool_or(rule_set = 'flag' AND name = 'organ_failure') AS organ_failure,
        bool_or(rule_set = 'flag' AND name = 'dementia') AS dementia,
        bool_or(rule_set = 'flag' AND name = 'disability') AS disability,
        bool_or(rule_set = 'flag' AND name = 'maternity') AS maternity
    FROM rule_hits
    GROUP BY pk
),
drugs AS (
    SELECT pk, count(DISTINCT code) AS n_drugs
    FROM phm_coded
    WHERE list_id IN (SELECT list_id FROM phm_codelist WHERE codelist = $polypharmacy_codelist)
      AND event_date <= $ref AND event_date > CAST($ref AS DATE) - CAST($year_days AS INTEGER)
    GROUP BY pk
),
ae AS (
    SELECT
        person_id,
        count(*) FILTER (WHERE CAST(arrival_at AS DATE) > CAST($ref AS DATE) - CAST($year_days AS INTEGER)) AS ae_12m,
        count(*) FILTER (WHERE CAST(arrival_at AS DATE) > CAST($ref AS DATE) - CAST($window_days AS INTEGER)) AS ae_window
    FROM ae_attendance
    WHERE CAST(arrival_at AS DATE) <= $ref
    GROUP BY person_id
),
emergency AS (
    SELECT
        person_id,
        count(*) FILTER (WHERE CAST(admission_at AS DATE) <= $ref
                           AND CAST(admission_at AS DATE) > CAST($ref AS DATE) - CAST($year_days AS INTEGER)) AS emergency_12m,
        count(*) FILTER (WHERE CAST(admission_at AS DATE) <= $ref
                           AND CAST(admission_at AS DATE) > CAST($ref AS DATE) - CAST($window_days AS INTEGER)) AS emergency_window,
        count(*) FILTER (WHERE CAST(admission_at AS DATE) > $ref
                           AND CAST(admission_at AS DATE) <= CAST($ref AS DATE) + CAST($horizon_days AS INTEGER)) AS outcome_admissions
    FROM apc_spell
    WHERE is_emergency
    GROUP BY person_id
),
combined AS (
    SELECT
        p.pk,
        p.person_id,
        p.sex,
        p.opt_out,
        p.imd_decile,
        p.age,
        coalesce(d.n_drugs, 0) AS n_drugs,
        coalesce(d.n_drugs, 0) >= $polypharmacy_drugs AS polypharmacy,
        coalesce(r.efi_coded, 0) + CAST(coalesce(d.n_drugs, 0) >= $polypharmacy_drugs AS INTEGER) AS efi_deficits,
        coalesce(r.cms, 0) AS cms,
        coalesce(r.ltc_count, 0) AS ltc_count,
        coalesce(r.end_of_life, FALSE) AS end_of_life,
        coalesce(r.organ_failure, FALSE) AS organ_failure,
        coalesce(r.dementia, FALSE) AS dementia,
        coalesce(r.disability, FALSE) AS disability,
        coalesce(r.maternity, FALSE) AS maternity,
        coalesce(a.ae_12m, 0) AS ae_12m,
        coalesce(a.ae_window, 0) AS ae_window,
        coalesce(e.emergency_12m, 0) AS emergency_12m,
        coalesce(e.emergency_window, 0) AS emergency_window,
        coalesce(e.outcome_admissions, 0) AS outcome_admissions
    FROM people p
    LEFT JOIN rules_per_person r ON r.pk = p.pk
    LEFT JOIN drugs d ON d.pk = p.pk
    LEFT JOIN ae a ON a.person_id = p.person_id
    LEFT JOIN emergency e ON e.person_id = p.person_id
)
SELECT
    *,
    CASE WHEN age >= $efi_min_age THEN efi_deficits / CAST($efi_deficit_count AS DOUBLE) END AS efi,
    CASE WHEN age >= $efi_min_age THEN phm_frailty(efi_deficits / CAST($efi_deficit_count AS DOUBLE)) END AS frailty
FROM combined;
