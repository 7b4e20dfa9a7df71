# Reference values from R for calibrated weighting and the R-indicator
# (README "Estimates for the whole branch", "Calibration" and "Representativeness").
# Regenerate with:   Rscript test/reference/make-calibration-fixtures.R
# (Debian: apt-get install r-cran-survey r-cran-jsonlite). Deterministic.
suppressPackageStartupMessages({ library(survey); library(jsonlite) })
options(survey.lonely.psu = "remove")
out_dir <- file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))), "fixtures")
if (length(out_dir) == 0 || out_dir == "fixtures") out_dir <- "test/reference/fixtures"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)
write_fixture <- function(x, name) {
  write_json(x, file.path(out_dir, name), digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
}

# ---------------------------------------------------------------------------
# R-indicator (Schouten, Cobben & Bethlehem 2009): response propensities from
# glm(response ~ org_type + province + size_class + member, binomial) over the
# whole frame; R = 1 - 2 sd(rho) (divisor N - 1); unconditional partial
# R-indicators: per variable the between-category standard deviation of rho,
# per category sqrt(N_k / (N - 1)) (mean_k(rho) - mean(rho)).
make_frame <- function(seed, N, types, provinces, sizes) {
  set.seed(seed)
  data.frame(
    org_type = sample(types, N, replace = TRUE),
    province = sample(provinces, N, replace = TRUE),
    size_class = sample(sizes, N, replace = TRUE),
    member = sample(c(TRUE, FALSE), N, replace = TRUE, prob = c(0.6, 0.4)),
    stringsAsFactors = FALSE
  )
}
r_indicator_case <- function(name, frame, beta) {
  vars <- c("org_type", "province", "size_class", "member")
  eta <- beta$intercept + beta$org_type[frame$org_type] + beta$province[frame$province] +
    beta$size_class[frame$size_class] + ifelse(frame$member, beta$member, 0)
  frame$response <- runif(nrow(frame)) < plogis(eta)
  frame$member <- ifelse(frame$member, "lid", "niet-lid")
  d <- frame
  for (v in vars) d[[v]] <- factor(as.character(d[[v]]))
  # A variable with one value adds no column (glm refuses a one-level factor).
  used <- vars[sapply(vars, function(v) length(unique(d[[v]])) > 1)]
  fit <- suppressWarnings(glm(reformulate(used, "response"), family = binomial, data = d))
  rho <- unname(fitted(fit))
  N <- length(rho)
  partial <- lapply(vars, function(v) {
    g <- as.character(frame[[v]])
    levels <- sort(unique(g))
    cats <- lapply(levels, function(l) {
      k <- g == l
      list(category = l, N = sum(k), mean = mean(rho[k]),
           partial = sqrt(sum(k) / (N - 1)) * (mean(rho[k]) - mean(rho)))
    })
    between <- sum(sapply(cats, function(c) c$N * (c$mean - mean(rho))^2)) / (N - 1)
    list(variable = v, partial = sqrt(between), categories = cats)
  })
  list(name = name, units = frame, R = 1 - 2 * sd(rho), sd = sd(rho), mean = mean(rho),
       aliased = sum(is.na(coef(fit))), partial = partial)
}
types <- c("centrum", "muziekschool", "particulier", "kunstencentrum")
provinces <- c("Drenthe", "Zeeland", "Utrecht", "Noord-Holland", "Limburg")
sizes <- c("<250", "250-999", ">=1000")
f1 <- make_frame(11, 320, types, provinces, sizes)
b1 <- list(intercept = -0.2, org_type = c(centrum = 0.5, muziekschool = 0.2, particulier = -0.9, kunstencentrum = 0),
           province = c(Drenthe = -0.6, Zeeland = -0.5, Utrecht = 0.3, "Noord-Holland" = 0.2, Limburg = 0),
           size_class = c("<250" = -0.3, "250-999" = 0, ">=1000" = 0.4), member = 0.6)
ri1 <- r_indicator_case("main-effects", f1, b1)
# An aliased column: every 'particulier' and only they have no size class ("–"),
# and every unit is a member (one level: no column at all).
f2 <- make_frame(12, 150, types, provinces[1:3], sizes[1:2])
f2$size_class[f2$org_type == "particulier"] <- "–"
f2$member <- TRUE
b2 <- list(intercept = 0, org_type = c(centrum = 0.4, muziekschool = 0, particulier = -1, kunstencentrum = 0.2),
           province = c(Drenthe = -0.5, Zeeland = 0, Utrecht = 0.5),
           size_class = c("<250" = 0, "250-999" = 0.3, "–" = 0), member = 0)
ri2 <- r_indicator_case("aliased-and-constant", f2, b2)
write_fixture(list(ri1, ri2), "r-indicator.json")
cat("fixtures written to", out_dir, "\n")
