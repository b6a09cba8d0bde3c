# Exports the development series of datasets/forecast-dev/ (issue 21): public seasonal series from
# R packages that Debian ships, none of them one of the classic evaluation series of
# datasets/forecast/ or a part of one (so MASS's deaths/drivers/accdeaths, datasets' mdeaths,
# fdeaths and Seatbelts are left out). forecastAuto's default is chosen on these; the classic
# series only confirm it. Selection rule, fixed before any forecast was run on them: univariate
# raw (not seasonally adjusted) monthly or quarterly series, strictly positive, no gaps.
# Run from the repository root (Debian: r-base-core, r-cran-forecast, r-cran-tseries, r-cran-aer):
#   Rscript bench/reference/export-dev-datasets.R
# Not run by tests: the CSVs are committed. elnino.csv comes from statsmodels instead
# (bench/reference/export-statsmodels-elnino.py).
suppressMessages({ library(AER); library(tseries); library(forecast) })
out <- "datasets/forecast-dev"
label <- function(x) {
  t <- round(as.numeric(time(x)) * frequency(x))
  year <- t %/% frequency(x); k <- t %% frequency(x) + 1
  if (frequency(x) == 12) sprintf("%d-%02d", year, k) else sprintf("%d-Q%d", year, k)
}
w <- function(x, name) {
  x <- na.omit(x)
  stopifnot(all(x > 0), !is.null(attr(x, "tsp")))
  write.csv(data.frame(period = label(x), value = as.numeric(x)), file.path(out, paste0(name, ".csv")), row.names = FALSE, quote = FALSE)
}
data("DutchSales", "PepperPrice", "FrozenJuice", "USMacroSWM", "GermanUnemployment", "USProdIndex",
  "UKNonDurables", "OrangeCounty", "ArgentinaCPI", package = "AER")
data("nino", package = "tseries")
# Monthly
w(DutchSales, "dutch-sales")
w(PepperPrice[, "black"], "pepper-black")
w(FrozenJuice[, "price"], "frozen-juice-price")
w(USMacroSWM[, "production"], "us-industrial-production")
w(USMacroSWM[, "cpi"], "us-cpi")
w(nino3, "nino3")
# Quarterly
w(GermanUnemployment[, "unadjusted"], "german-unemployment")
w(USProdIndex[, "unadjusted"], "us-production-index")
w(UKNonDurables, "uk-nondurables")
w(OrangeCounty[, "employment"], "orange-county-employment")
w(ArgentinaCPI, "argentina-cpi")
w(austres, "austres")
w(woolyrnq, "wool-production")
