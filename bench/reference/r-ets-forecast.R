# Held-out MAE of R's automatic exponential smoothing, forecast::ets() with its defaults (AICc over
# the admissible ETS models, Hyndman et al. 2008), on the series of datasets/forecast/series.json:
# a second reference for bench/oracle-forecast.bench.ts beside statsmodels' fixed additive
# Holt-Winters. The half-hourly series is left out (ets() refuses seasons longer than 24).
# Run from the repository root (Debian: r-base-core, r-cran-forecast):
#   Rscript bench/reference/r-ets-forecast.R > bench/reference/r-ets-forecast.json
#   Rscript bench/reference/r-ets-forecast.R datasets/forecast-dev > bench/reference/r-ets-forecast-dev.json
suppressMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
root <- if (length(args) > 0) args[1] else "datasets/forecast"
lines <- readLines(file.path(root, "series.json"))
entries <- regmatches(lines, regexpr("\\{ \"name\".*\\}", lines))
field <- function(e, key, numeric = FALSE) {
  m <- regmatches(e, regexpr(sprintf("\"%s\": (\"[^\"]*\"|[0-9]+)", key), e))
  if (length(m) == 0) return(NA)
  v <- sub(sprintf("\"%s\": ", key), "", m)
  if (numeric) as.numeric(v) else gsub("\"", "", v)
}
rows <- c()
for (e in entries) {
  name <- field(e, "name"); period <- field(e, "period", TRUE); h <- field(e, "holdout", TRUE)
  if (!is.na(period) && period > 24) next
  y <- read.csv(file.path(root, field(e, "file")))[[2]]
  n <- length(y) - h
  train <- ts(y[1:n], frequency = if (is.na(period)) 1 else period)
  fit <- ets(train)
  fc <- as.numeric(forecast(fit, h = h)$mean)
  rows <- c(rows, sprintf('  {"name": "%s", "model": "%s", "aicc": %.6f, "mae": %.10g, "forecast": [%s]}',
    name, fit$method, fit$aicc, mean(abs(fc - y[(n + 1):length(y)])), paste(sprintf("%.6f", fc), collapse = ", ")))
}
cat(sprintf('{\n "tool": "R %s, forecast %s: ets(train) with its defaults, forecast(fit, h)$mean",\n "series": [\n%s\n ]\n}\n',
  paste(R.version$major, R.version$minor, sep = "."), packageVersion("forecast"), paste(rows, collapse = ",\n")))
