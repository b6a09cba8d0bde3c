# Exports the classic series vendored in datasets/forecast/ from R's own `datasets` package
# (Debian: r-base-core; GPL-2). Run from the repository root: Rscript bench/reference/export-r-datasets.R
# Not run by tests: the CSVs are committed.
out <- "datasets/forecast"
label <- function(x) {
  t <- round(as.numeric(time(x)) * frequency(x))
  year <- t %/% frequency(x); k <- t %% frequency(x) + 1
  if (frequency(x) == 12) sprintf("%d-%02d", year, k) else sprintf("%d-Q%d", year, k)
}
w <- function(x, name) {
  write.csv(data.frame(period = label(x), value = as.numeric(x)), file.path(out, paste0(name, ".csv")), row.names = FALSE, quote = FALSE)
}
w(AirPassengers, "air-passengers")
w(co2, "co2")
w(nottem, "nottem")
w(USAccDeaths, "us-acc-deaths")
w(ldeaths, "ldeaths")
w(UKDriverDeaths, "uk-driver-deaths")
w(UKgas, "uk-gas")
w(JohnsonJohnson, "johnson-johnson")
a <- airquality
write.csv(data.frame(date = sprintf("1973-%02d-%02d", a$Month, a$Day), value = a$Temp), file.path(out, "airquality-temp.csv"), row.names = FALSE, quote = FALSE)

# From the forecast package (Debian: r-cran-forecast; GPL-3, Hyndman et al.).
library(forecast)
w(wineind, "wineind")
w(gas, "aus-gas")
# taylor: half-hourly electricity demand, England and Wales, Monday 2000-06-05 to Sunday 2000-08-27 (4,032 values).
days <- seq(as.Date("2000-06-05"), by = "day", length.out = length(taylor) / 48)
stamp <- sprintf("%sT%02d:%02d", rep(format(days), each = 48), rep(0:23, each = 2, times = length(days)), rep(c(0, 30), times = 24 * length(days)))
write.csv(data.frame(time = stamp, value = as.numeric(taylor)), file.path(out, "taylor-half-hourly.csv"), row.names = FALSE, quote = FALSE)
# The same demand summed per day (84 days, weekly season): the daily series of the bench.
write.csv(data.frame(date = format(days), value = colSums(matrix(as.numeric(taylor), nrow = 48))), file.path(out, "taylor-daily.csv"), row.names = FALSE, quote = FALSE)
