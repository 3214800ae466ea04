# Two commands: `make run` (the whole site with demo data) and `make test` (the whole suite).
# Each sets the environment up by itself on a fresh clone.

PORT ?= 8000
VENV := .venv
PYTHON := $(VENV)/bin/python
UV_VERSION := 0.13.9
MANAGE := $(PYTHON) manage.py

.PHONY: setup gettext pdf-libraries browser run test lint format messages bench-register bench-scan bench-risk bench-letter-pdf bench-ingest bench-year bench-smoke clean

$(VENV)/.synced: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet "uv==$(UV_VERSION)"
	uv sync --frozen
	@touch $@

# Compiled message catalogues are build output: each is made from its locale/*.po here, again
# only when the .po file changed (what `manage.py compilemessages` does, without starting Django).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))

setup: $(VENV)/.synced $(MO_FILES) | pdf-libraries
	@mkdir -p var

$(MO_FILES): %.mo: %.po | gettext
	msgfmt --check-format -o $@ $<

gettext:
	@command -v msgfmt >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq gettext)

# WeasyPrint's libraries; without HarfBuzz-Subset it subsets fonts with fontTools, and every
# letter's PDF takes two to four times as long (docs/performance.md).
PDF_LIBRARIES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0

pdf-libraries:
	@for package in $(PDF_LIBRARIES); do \
	  ldconfig -p | grep -q "$${package%%[0-9]*}" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then apt-get update -qq && apt-get install -y -qq $$missing; fi

# Links in e-mails, QR codes and PDFs point at the port the site is served on
# (`make run PORT=8765`); a SITE_URL in the environment overrides it.
RUN_SITE_URL := $(or $(SITE_URL),http://127.0.0.1:$(PORT))

run: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	SITE_URL=$(RUN_SITE_URL) $(MANAGE) seed_demo
	SITE_URL=$(RUN_SITE_URL) PORT=$(PORT) $(VENV)/bin/honcho start --port $(PORT)

test: setup | browser
	$(PYTHON) -m pytest $(PYTEST_ARGS)

# The browser tests (tests/e2e/) drive Debian's Chromium; Playwright's own download does not
# work here.
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium)

lint: $(VENV)/.synced
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

format: $(VENV)/.synced
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Refresh the catalogues after changing user-facing strings; then translate locale/vi.
messages: $(VENV)/.synced
	$(MANAGE) makemessages -l vi -l en --ignore=.venv --ignore=var --ignore=bench --ignore=tests --no-location --no-wrap
	$(MANAGE) makemessages -d djangojs -l vi -l en --ignore=.venv --ignore=var --ignore=static/vendor --no-location --no-wrap

# The compliance scan against hand-written SQL on 1,000,000 declarations (PostgreSQL).
bench-scan: $(VENV)/.synced
	$(PYTHON) bench/scan.py

# The risk refresh against hand-written SQL on 1,000,000 declarations (PostgreSQL,
# cbr_bench_risk).
bench-risk: $(VENV)/.synced
	$(PYTHON) bench/risk.py

# A national year: 13,000,000 declarations (PostgreSQL, cbr_bench_year, kept between runs):
# the day's incremental scan, the authorization check and two pages against hand-written SQL.
bench-year: $(VENV)/.synced
	$(PYTHON) bench/year.py $(BENCH_YEAR_ARGS)

# Loads 20,000 brokers into PostgreSQL (cbr_bench_register) and load-tests the register API
# and page with wrk (BENCH_REGISTER_ARGS=--keep-data reuses the loaded brokers).
bench-register: $(VENV)/.synced
	@command -v wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PYTHON) bench/register.py $(BENCH_REGISTER_ARGS)

# A letter of authority's PDF (rendered, and downloaded as stored) against a bare WeasyPrint
# page in the same run (PostgreSQL, cbr_bench_letter).
bench-letter-pdf: $(VENV)/.synced
	$(PYTHON) bench/letter_pdf.py

# Declaration ingest (API, import_declarations, a resent batch, a 1,000,000-row import's
# memory) against COPY of the same rows (PostgreSQL, cbr_bench_ingest).
bench-ingest: $(VENV)/.synced
	$(PYTHON) bench/ingest.py

# Every benchmark at a small size, one after the other, each on a new database of its own
# (cbr_bench_smoke, dropped at the end): that each still runs and its results still equal
# its baseline's, not its figures. CI runs it, so that none of them rots unnoticed.
BENCH_SMOKE_URL = postgres://postgres@127.0.0.1:5432/cbr_bench_smoke
BENCH_SMOKE_DROP = psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS cbr_bench_smoke WITH (FORCE)"
BENCH_SMOKE = $(BENCH_SMOKE_DROP) && BENCH_DATABASE_URL=$(BENCH_SMOKE_URL) $(PYTHON)
bench-smoke: $(VENV)/.synced
	@command -v wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BENCH_SMOKE) bench/register.py --brokers 1000 --seconds 3 --rounds 1 --miss-runs 20
	$(BENCH_SMOKE) bench/scan.py --declarations 20000 --daily 2000
	$(BENCH_SMOKE) bench/risk.py --declarations 20000 --smoke
	$(BENCH_SMOKE) bench/ingest.py --big 20000
	$(BENCH_SMOKE) bench/letter_pdf.py --rounds 2
	$(BENCH_SMOKE) bench/signatures.py --rounds 2
	$(BENCH_SMOKE_DROP) && createdb -h 127.0.0.1 -U postgres cbr_bench_smoke
	DATABASE_URL=$(BENCH_SMOKE_URL) $(MANAGE) migrate -v0
	DATABASE_URL=$(BENCH_SMOKE_URL) REDIS_URL=redis://127.0.0.1:6379/13 $(PYTHON) \
		bench/dashboard.py --sizes 1000 2000 --brokers 50 --traders 300 --runs 1
	$(BENCH_SMOKE) bench/year.py --rows 30000 --daily 3000 --samples 20 --runs 2 --repeat 1 \
		--reload --drop

clean:
	rm -rf $(VENV) var/db.sqlite3 var/celery var/static
