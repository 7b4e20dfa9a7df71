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

# ---------------------------------------------------------------------------
# Calibrated weighting: within the strata h the item respondents are calibrated
# to the frame's counts per category (province, size_class) and totals of numeric
# variables (students, and a question's auxiliary x), then svytotal / svymean /
# svyby on the calibrated design. The population totals are those of the frame
# units in the strata that have item respondents.
cal_frame <- function(seed, N_by_h) {
  set.seed(seed)
  do.call(rbind, lapply(names(N_by_h), function(h) {
    n <- N_by_h[[h]]
    students <- round(rlnorm(n, log(400), 0.7))
    data.frame(h = h, province = sample(c("Drenthe", "Zeeland", "Utrecht", "Limburg"), n, replace = TRUE),
               size_class = ifelse(students < 250, "<250", ifelse(students < 1000, "250-999", ">=1000")),
               students = students, x = round(students * runif(n, 800, 1500), 2), stringsAsFactors = FALSE)
  }))
}
cal_case <- function(name, seed, N_by_h, rate, vars, numeric_vars, calfun, with_aux, hidden = 0, single = NULL) {
  frame <- cal_frame(seed, N_by_h)
  set.seed(seed + 100)
  p <- plogis(qlogis(rate) + ifelse(frame$province == "Zeeland", -0.8, 0) + ifelse(frame$size_class == ">=1000", 0.5, 0))
  resp <- frame[runif(nrow(frame)) < p, ]
  # A stratum with one item respondent: it adds nothing to the variance (survey.lonely.psu = "remove").
  if (!is.null(single)) resp <- resp[resp$h != single | !duplicated(resp$h), ]
  k <- nrow(resp)
  resp$y <- round(resp$x * runif(k, 0.1, 0.5) + rnorm(k, 0, 20000), 2)
  resp$d <- sample(c("Noord", "Midden", "Zuid"), k, replace = TRUE)
  resp$cat <- sample(c("a", "b", "c"), k, replace = TRUE, prob = c(0.5, 0.3, 0.2))
  resp$shown <- TRUE
  if (hidden > 0) {
    hh <- sample(k, hidden)
    resp$shown[hh] <- FALSE
    resp$y[hh] <- 0
  }
  covered <- frame[frame$h %in% resp$h, ]
  resp$fpc <- table(frame$h)[resp$h]
  resp$fpc <- as.numeric(resp$fpc)
  des <- svydesign(ids = ~1, strata = ~h, fpc = ~fpc, data = resp)
  terms <- c("h", vars, numeric_vars, if (with_aux) "x")
  f <- reformulate(terms)
  mmf <- model.matrix(f, covered)
  population <- colSums(mmf)
  cal <- calibrate(des, f, population = population, calfun = calfun)
  results <- list()
  add <- function(kind, obj) {
    if (inherits(obj, "svyby")) {
      e <- list(estimate = unname(coef(obj)), se = unname(SE(obj)), domain = as.character(obj[[1]]))
    } else {
      e <- list(estimate = unname(as.numeric(coef(obj))), se = unname(as.numeric(SE(obj))))
    }
    results[[length(results) + 1]] <<- c(list(kind = kind), e)
  }
  add("total", svytotal(~y, cal))
  add("mean", svymean(~y, subset(cal, shown)))
  add("total_by_domain", svyby(~y, ~d, cal, svytotal))
  add("mean_by_domain", svyby(~y, ~d, subset(cal, shown), svymean))
  add("total_by_stratum", svyby(~y, ~h, cal, svytotal))
  add("total_by_province", svyby(~y, ~province, cal, svytotal))
  add("proportion", svymean(~I(as.numeric(cat == "a")), subset(cal, shown)))
  add("proportion_by_domain", svyby(~I(as.numeric(cat == "a")), ~d, subset(cal, shown), svymean))
  frame_totals <- list(
    strata = lapply(sort(unique(covered$h)), function(h) list(h = h, N = sum(covered$h == h))),
    counts = lapply(vars, function(v) list(variable = v, categories = lapply(sort(unique(covered[[v]])),
      function(c) list(category = c, N = sum(covered[[v]] == c))))),
    totals = lapply(c(numeric_vars, if (with_aux) "x"), function(v) list(variable = v, total = sum(covered[[v]])))
  )
  list(name = name, calfun = calfun, vars = vars, numeric = numeric_vars, aux = with_aux,
       frame = frame_totals, rows = resp[, c("h", "province", "size_class", "students", "x", "y", "d", "shown", "cat")],
       weights = unname(weights(cal)), results = results)
}
cal_cases <- list(
  cal_case("linear-categorical-numeric-aux", 21, list(centrum = 90, muziekschool = 140, particulier = 110), 0.45,
           c("province", "size_class"), c("students"), "linear", TRUE),
  cal_case("linear-conditional", 22, list(A = 60, B = 120), 0.5, c("province"), character(0), "linear", FALSE, hidden = 12),
  cal_case("raking-categorical", 23, list(centrum = 90, muziekschool = 140, particulier = 110), 0.45,
           c("province", "size_class"), character(0), "raking", FALSE),
  cal_case("raking-with-aux", 24, list(A = 150, B = 200), 0.4, c("province"), character(0), "raking", TRUE),
  cal_case("linear-single-unit-stratum", 25, list(A = 80, B = 100, klein = 6), 0.5, c("province"), c("students"),
           "linear", FALSE, single = "klein")
)
for (c in cal_cases) write_fixture(c, paste0("calibration-", c$name, ".json"))
cat("fixtures written to", out_dir, "\n")
