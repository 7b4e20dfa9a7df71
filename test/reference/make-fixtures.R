# Reference estimates from R's survey package (Lumley) for the estimators of
# README "Estimates for the whole branch". Regenerate with:   Rscript test/reference/make-fixtures.R
# (Debian: apt-get install r-cran-survey r-cran-jsonlite). Deterministic.
suppressPackageStartupMessages({ library(survey); library(jsonlite) })
options(survey.lonely.psu = "remove")
out_dir <- file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))), "fixtures")
if (length(out_dir) == 0 || out_dir == "fixtures") out_dir <- "test/reference/fixtures"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

est <- function(obj) {
  # coef and SE of a svystat / svyby / svyratio / predicted ratio, as plain vectors
  if (inherits(obj, "svyby")) {
    return(list(estimate = unname(coef(obj)), se = unname(SE(obj)), domain = as.character(obj[[1]])))
  }
  if (is.list(obj) && !is.null(obj$total)) {
    return(list(estimate = unname(as.numeric(obj$total)), se = unname(as.numeric(obj$se))))
  }
  list(estimate = unname(as.numeric(coef(obj))), se = unname(as.numeric(SE(obj))))
}

make_case <- function(name, strata, rows, stratify_label) {
  rows$fpc <- strata$N[match(rows$h, strata$h)]
  results <- list()
  add <- function(kind, obj, extra = list()) {
    e <- est(obj)
    results[[length(results) + 1]] <<- c(list(kind = kind), extra, e)
  }
  # Item respondents for y (answered or hidden by visible_if; hidden count as 0 in totals).
  item <- rows[!is.na(rows$y), ]
  des <- svydesign(ids = ~1, strata = ~h, fpc = ~fpc, data = item)
  add("total", svytotal(~y, des))
  add("mean", svymean(~y, subset(des, shown)))
  add("total_by_domain", svyby(~y, ~d, des, svytotal))
  add("mean_by_domain", svyby(~y, ~d, subset(des, shown), svymean))
  add("total_by_stratum", svyby(~y, ~h, des, svytotal))
  add("mean_by_stratum", svyby(~y, ~h, subset(des, shown), svymean))
  # Ratio estimators: respondents with a missing x are left out.
  rx <- item[!is.na(item$x), ]
  rdes <- svydesign(ids = ~1, strata = ~h, fpc = ~fpc, data = rx)
  present <- sort(unique(as.character(rx$h)))
  Xh <- strata$X[match(present, strata$h)]
  names(Xh) <- present
  sep <- svyratio(~y, ~x, rdes, separate = TRUE)
  add("ratio_total_separate", predict(sep, total = as.list(Xh)))
  byr <- svyby(~y, ~d, rdes, svyratio, denominator = ~x)
  add("ratio_by_domain", byr)
  add("ratio_by_stratum", svyby(~y, ~h, rdes, svyratio, denominator = ~x))
  # Proportion of a 0/1 indicator (a choice option).
  add("proportion", svymean(~I(as.numeric(cat == "a")), subset(des, shown)))
  add("proportion_by_domain", svyby(~I(as.numeric(cat == "a")), ~d, subset(des, shown), svymean))
  list(name = name, stratify = stratify_label, strata = strata, rows = rows[, c("h", "y", "x", "d", "shown", "cat")], results = results)
}

gen <- function(seed, strata, n_by_h, missing_y = 0, missing_x = 0, hidden = 0) {
  set.seed(seed)
  rows <- do.call(rbind, lapply(seq_len(nrow(strata)), function(i) {
    n <- n_by_h[i]
    if (n == 0) return(NULL)
    x <- round(rlnorm(n, log(strata$xmed[i]), 0.6), 2)
    y <- round(x * runif(n, 0.2, 0.8) + rnorm(n, 0, strata$xmed[i] * 0.05), 2)
    data.frame(h = strata$h[i], x = x, y = y, d = sample(c("Noord", "Midden", "Zuid"), n, replace = TRUE),
               shown = TRUE, cat = sample(c("a", "b", "c"), n, replace = TRUE, prob = c(0.5, 0.3, 0.2)),
               stringsAsFactors = FALSE)
  }))
  k <- nrow(rows)
  if (missing_y > 0) rows$y[sample(k, missing_y)] <- NA
  if (missing_x > 0) rows$x[sample(which(!is.na(rows$y)), missing_x)] <- NA
  if (hidden > 0) {
    h <- sample(which(!is.na(rows$y)), hidden)
    rows$shown[h] <- FALSE
    rows$y[h] <- 0
  }
  rows
}

cases <- list()

# 1. One stratifier (org_type), a --by domain, item nonresponse.
s1 <- data.frame(h = c("centrum", "muziekschool", "particulier", "kunstencentrum"), N = c(152, 88, 120, 40),
                 xmed = c(900000, 420000, 80000, 190000), stringsAsFactors = FALSE)
r1 <- gen(1, s1, c(61, 40, 33, 15), missing_y = 6)
s1$X <- round(sapply(s1$h, function(h) sum(r1$x[r1$h == h], na.rm = TRUE)) * s1$N / pmax(1, table(factor(r1$h, levels = s1$h))) * 1.03, 2)
cases[[1]] <- make_case("one-stratifier", s1[, c("h", "N", "X")], r1, "org_type")

# 2. Cross-classified strata (type x size class) with a lonely stratum (n = 1) and a stratum without respondents.
s2 <- data.frame(h = c("centrum × >=2500", "centrum × 1000-2499", "muziekschool × 250-999", "particulier × <250", "muziekschool × 1000-2499", "kunstencentrum × 250-999"),
                 N = c(30, 70, 60, 120, 25, 40), xmed = c(2000000, 800000, 400000, 70000, 700000, 200000), stringsAsFactors = FALSE)
r2 <- gen(2, s2, c(14, 30, 25, 40, 1, 0), missing_y = 3, missing_x = 2)
s2$X <- round(s2$N * s2$xmed * 1.1, 2)
cases[[2]] <- make_case("cross-classified-lonely-empty", s2[, c("h", "N", "X")], r2, "org_type,size_class")

# 3. A conditional question: some respondents had it hidden (outside its domain).
s3 <- data.frame(h = c("A", "B", "C"), N = c(50, 80, 30), xmed = c(300000, 150000, 600000), stringsAsFactors = FALSE)
r3 <- gen(3, s3, c(20, 35, 12), hidden = 15)
s3$X <- round(s3$N * s3$xmed * 0.95, 2)
cases[[3]] <- make_case("conditional-question", s3[, c("h", "N", "X")], r3, "org_type")

# 4. A census stratum (n = N) next to sampled ones.
s4 <- data.frame(h = c("census", "sampled"), N = c(8, 60), xmed = c(500000, 100000), stringsAsFactors = FALSE)
r4 <- gen(4, s4, c(8, 22))
s4$X <- round(c(sum(r4$x[r4$h == "census"]), 60 * 100000), 2)
cases[[4]] <- make_case("census-stratum", s4[, c("h", "N", "X")], r4, "org_type")

for (c in cases) {
  write_json(c, file.path(out_dir, paste0(c$name, ".json")), digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
}

# Chi-square goodness of fit (representativeness): respondents over strata against frame shares.
chi <- list()
for (case in list(list(n = c(61, 40, 33, 15), N = c(152, 88, 120, 40)), list(n = c(14, 30, 25, 40, 1), N = c(30, 70, 60, 120, 25)))) {
  t <- suppressWarnings(chisq.test(case$n, p = case$N / sum(case$N)))
  chi[[length(chi) + 1]] <- list(n = case$n, N = case$N, statistic = unname(t$statistic), df = unname(t$parameter), p = t$p.value)
}
write_json(chi, file.path(out_dir, "chisq.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
cat("fixtures written to", out_dir, "\n")
