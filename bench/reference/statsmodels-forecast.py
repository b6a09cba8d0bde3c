"""Held-out MAE of statsmodels' ExponentialSmoothing on the series of datasets/forecast/series.json
(or of another folder's series.json given as the argument: datasets/forecast-dev, the development set).

The reference the oracle's forecasters are compared with (bench/oracle-forecast.ts and
packages/oracle/test/forecast-datasets.test.ts read the JSON this writes; neither runs Python).
Model: additive trend and (when the series has a period) additive season,
initialization_method='estimated', the defaults otherwise: the configuration of issue 21.
Run from the repository root with Debian's python3-statsmodels:
    /usr/bin/python3 bench/reference/statsmodels-forecast.py > bench/reference/statsmodels-forecast.json
    /usr/bin/python3 bench/reference/statsmodels-forecast.py datasets/forecast-dev > bench/reference/statsmodels-forecast-dev.json
"""
import csv
import json
import sys
import warnings

import numpy as np
import statsmodels
from statsmodels.tsa.holtwinters import ExponentialSmoothing

warnings.filterwarnings("ignore")
root = sys.argv[1] if len(sys.argv) > 1 else "datasets/forecast"
manifest = json.load(open(f"{root}/series.json"))
rows = []
for s in manifest["series"]:
    with open(f"{root}/{s['file']}") as f:
        y = np.array([float(r["value"]) for r in csv.DictReader(f)])
    h = s["holdout"]
    train, test = y[:-h], y[-h:]
    m = s.get("period")
    model = ExponentialSmoothing(train, trend="add", seasonal="add" if m else None, seasonal_periods=m, initialization_method="estimated")
    fit = model.fit()
    fc = fit.forecast(h)
    p = fit.params
    rows.append({
        "name": s["name"],
        "mae": float(np.mean(np.abs(fc - test))),
        "forecast": [round(float(v), 6) for v in fc],
        "params": {k: (None if p.get(k) is None or (isinstance(p.get(k), float) and np.isnan(p.get(k))) else float(p[k])) for k in ("smoothing_level", "smoothing_trend", "smoothing_seasonal")},
        "sse": float(fit.sse),
    })
json.dump({
    "tool": f"statsmodels {statsmodels.__version__} ExponentialSmoothing(trend='add', seasonal='add' when periodic, initialization_method='estimated').fit()",
    "python": sys.version.split()[0],
    "series": rows,
}, sys.stdout, indent=1)
print()
