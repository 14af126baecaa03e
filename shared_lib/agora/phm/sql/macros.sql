-- Banding macros over the definition tables phm_band and phm_tier (agora.phm.definitions).
-- eFI category: the band whose bounds hold the value (lower exclusive, upper inclusive), so
-- 0.12 is fit, anything above 0.12 up to 0.24 mild, up to 0.36 moderate, above 0.36 severe.
CREATE OR REPLACE TEMP MACRO phm_frailty(efi) AS (
    SELECT category FROM phm_band WHERE efi > lower_bound AND efi <= upper_bound
);
-- Risk tier from the rank fraction (1 = highest risk, divided by the people scored).
CREATE OR REPLACE TEMP MACRO phm_risk_tier(fraction) AS (
    SELECT tier FROM phm_tier WHERE fraction > lower_bound AND fraction <= upper_bound
);
