"""The transparent 12-month emergency admission risk model.

Logistic regression of "one or more emergency admissions in the outcome window" on eight named
predictors (TERMS), fitted by iteratively reweighted least squares in numpy on people whose
pseudonym starts 0-a, evaluated on the rest (b-f), leaving out National Data Opt-out people:
AUC (the probability that a person admitted scores above one not admitted) and calibration by
decile of predicted risk (mean predicted against observed rate). Coefficients are reported per
unit of each predictor with odds ratios and 95% confidence intervals, so anyone can recompute a
score by hand:
    risk = 1 / (1 + exp(-(intercept + sum(coefficient * predictor)))).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# (name, meaning): the predictors, in the order of the design matrix (design_matrix.sql).
TERMS: tuple[tuple[str, str], ...] = (
    ("age", "Age in years."),
    ("male", "1 if sex is male."),
    ("imd_decile", "IMD 2025 decile of residence (1 = most deprived; missing = 5.5)."),
    ("cms", "Cambridge Multimorbidity Score."),
    ("efi", "Electronic Frailty Index (0 under 65)."),
    ("prior_ae", "A&E attendances in the predictor window (capped at 10)."),
    ("prior_emergency", "Emergency admissions in the predictor window (capped at 10)."),
    ("polypharmacy", "1 if 5+ distinct drugs were issued in the last 12 months."),
)
MIN_OUTCOMES = 10       # fewer admitted (or not admitted) people than this: no model
RIDGE = 1e-6            # tiny penalty on standardised coefficients, for separable data only


class ModelError(ValueError):
    """The data cannot support a risk model (too few people or outcomes)."""


@dataclass
class RiskModel:
    terms: list[str]
    intercept: float
    coefficients: dict[str, float]
    std_errors: dict[str, float]
    dropped: list[str] = field(default_factory=list)   # constant in the training data
    evaluation: dict = field(default_factory=dict)

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        eta = self.intercept + X[self.terms].to_numpy(float) @ np.array(
            [self.coefficients[t] for t in self.terms])
        return _expit(eta)

    def coefficient_table(self) -> pd.DataFrame:
        rows = [("intercept", self.intercept, self.std_errors.get("intercept", np.nan))]
        rows += [(t, self.coefficients[t], self.std_errors.get(t, np.nan)) for t in self.terms]
        table = pd.DataFrame(rows, columns=["term", "coefficient", "std_error"])
        table["odds_ratio"] = np.exp(table["coefficient"])
        table["or_low95"] = np.exp(table["coefficient"] - 1.96 * table["std_error"])
        table["or_high95"] = np.exp(table["coefficient"] + 1.96 * table["std_error"])
        meaning = dict(TERMS) | {"intercept": "Log-odds when every predictor is 0."}
        table["meaning"] = table["term"].map(meaning)
        return table


def _expit(eta: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(eta, -35, 35)))


def fit_logistic(X: np.ndarray, y: np.ndarray, ridge: float = RIDGE, max_iter: int = 100,
                 tol: float = 1e-10) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Maximum-likelihood logistic regression by IRLS. Returns (intercept + coefficients on the
    original scale, their standard errors, mask of columns that were constant and dropped)."""
    X = np.asarray(X, float)
    y = np.asarray(y, float)
    mean, sd = X.mean(axis=0), X.std(axis=0)
    constant = sd == 0
    keep = ~constant
    Z = np.column_stack([np.ones(len(X)), (X[:, keep] - mean[keep]) / sd[keep]])
    penalty = np.full(Z.shape[1], ridge)
    penalty[0] = 0.0
    beta = np.zeros(Z.shape[1])
    for _ in range(max_iter):
        p = _expit(Z @ beta)
        w = p * (1 - p)
        gradient = Z.T @ (y - p) - penalty * beta
        hessian = (Z * w[:, None]).T @ Z + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta += step
        if np.max(np.abs(step)) < tol:
            break
    # Back to the original scale: b_j = beta_j / sd_j, b_0 = beta_0 - sum(b_j * mean_j).
    slopes = np.zeros(X.shape[1])
    slopes[keep] = beta[1:] / sd[keep]
    intercept = beta[0] - np.sum(slopes[keep] * mean[keep])
    p = _expit(Z @ beta)
    cov_std = np.linalg.pinv((Z * (p * (1 - p))[:, None]).T @ Z + np.diag(penalty))
    # Linear map from standardised to original coefficients, applied to the covariance.
    k = int(keep.sum())
    T = np.zeros((k + 1, k + 1))
    T[0, 0] = 1.0
    T[0, 1:] = -mean[keep] / sd[keep]
    T[1:, 1:] = np.diag(1.0 / sd[keep])
    cov = T @ cov_std @ T.T
    se = np.full(X.shape[1] + 1, np.nan)
    se[0] = np.sqrt(cov[0, 0])
    se[1:][keep] = np.sqrt(np.diag(cov)[1:])
    return np.concatenate([[intercept], slopes]), se, constant


def auc(y: np.ndarray, score: np.ndarray) -> float:
    """Area under the ROC curve by the rank-sum (Mann-Whitney) formula; ties count half."""
    y = np.asarray(y, bool)
    n1, n0 = int(y.sum()), int((~y).sum())
    if n1 == 0 or n0 == 0:
        return float("nan")
    ranks = pd.Series(np.asarray(score, float)).rank(method="average").to_numpy()
    return float((ranks[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def calibration(y: np.ndarray, score: np.ndarray, groups: int = 10) -> pd.DataFrame:
    """People in equal-sized groups by predicted risk (decile 1 = lowest): n, mean predicted,
    observed rate."""
    frame = pd.DataFrame({"y": np.asarray(y, float), "p": np.asarray(score, float)})
    order = frame["p"].rank(method="first")
    frame["decile"] = pd.qcut(order, q=min(groups, len(frame)), labels=False) + 1
    out = frame.groupby("decile").agg(n=("y", "size"), mean_predicted=("p", "mean"),
                                      observed_rate=("y", "mean")).reset_index()
    return out


def fit(design: pd.DataFrame) -> RiskModel:
    """Fit on the training rows of a design matrix (design_matrix.sql) and evaluate on the rest."""
    terms = [t for t, _ in TERMS]
    usable = design[design["in_model"]]
    train, test = usable[usable["train"]], usable[~usable["train"]]
    y = train["outcome"].to_numpy(bool)
    if y.sum() < MIN_OUTCOMES or (~y).sum() < MIN_OUTCOMES:
        raise ModelError(f"too few outcomes to fit a risk model: {int(y.sum())} admitted and "
                         f"{int((~y).sum())} not admitted in the training set (need "
                         f"{MIN_OUTCOMES} of each)")
    params, se, constant = fit_logistic(train[terms].to_numpy(float), y)
    model = RiskModel(
        terms=terms, intercept=float(params[0]),
        coefficients={t: float(b) for t, b in zip(terms, params[1:], strict=True)},
        std_errors={"intercept": float(se[0])}
        | {t: float(s) for t, s in zip(terms, se[1:], strict=True)},
        dropped=[t for t, c in zip(terms, constant, strict=True) if c],
    )
    evaluated = test if len(test) else train
    p_test = model.predict(evaluated)
    model.evaluation = {
        "train_people": int(len(train)), "train_admitted": int(y.sum()),
        "test_people": int(len(test)), "test_admitted": int(evaluated["outcome"].sum()),
        "auc_train": auc(y, model.predict(train)),
        "auc_test": auc(evaluated["outcome"].to_numpy(bool), p_test),
        "calibration": calibration(evaluated["outcome"].to_numpy(bool), p_test),
    }
    return model
