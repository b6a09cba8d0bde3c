"""Exports statsmodels' El Niño dataset (monthly Niño 1+2 sea surface temperature, °C, 1950–2010;
NOAA ERSST.V3B, public domain) as datasets/forecast-dev/elnino.csv, one of the development series
of issue 21 (see bench/reference/export-dev-datasets.R for the rest and the selection rule).
Run from the repository root with Debian's python3-statsmodels:
    /usr/bin/python3 bench/reference/export-statsmodels-elnino.py
Not run by tests: the CSV is committed.
"""
import statsmodels.api as sm

df = sm.datasets.elnino.load_pandas().data
months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
with open("datasets/forecast-dev/elnino.csv", "w") as f:
    f.write("period,value\n")
    for _, row in df.iterrows():
        for k, m in enumerate(months):
            f.write(f"{int(row['YEAR'])}-{k + 1:02d},{row[m]:g}\n")
