"""
The demo site's content, written for nicepick in its own words (`manage.py loaddemo`).

Plain data: `demo.py` turns it into rows. Statuses cover the workflow: published (``days`` ago),
scheduled (``days`` ahead), in review and draft. Criteria and tool facts (at the end) fill the
rows that say `from_facts(...)`, the tool pages and the matrices.
"""


def from_facts(criterion, edge):
    """A factor row whose name and values come from the tools' facts on `criterion`."""
    return {"criterion": criterion, "edge": edge}


CATEGORIES = [
    {
        "slug": "backend",
        "name": "Backend",
        "description": "Web frameworks and the servers behind an API.",
        "position": 1,
    },
    {
        "slug": "databases",
        "name": "Databases",
        "description": "Where the data lives, and how it is queried and cached.",
        "position": 2,
    },
    {
        "slug": "frontend",
        "name": "Frontend",
        "description": "Libraries for building what users click on.",
        "position": 3,
    },
    {
        "slug": "infrastructure",
        "name": "Infrastructure",
        "description": "Containers, orchestration, provisioning and the web servers in front.",
        "position": 4,
    },
]

TOOLS = [
    {
        "slug": "flask",
        "name": "Flask",
        "summary": "A small Python web framework: routing and templates, the rest is your choice.",
        "website": "https://flask.palletsprojects.com/",
    },
    {
        "slug": "express",
        "name": "Express",
        "summary": "The minimal, long-standing web framework for Node.js.",
        "website": "https://expressjs.com/",
    },
    {
        "slug": "django",
        "name": "Django",
        "summary": "Python's batteries-included framework: ORM, admin, auth and forms in one box.",
        "website": "https://www.djangoproject.com/",
    },
    {
        "slug": "fastapi",
        "name": "FastAPI",
        "summary": "A Python framework for typed HTTP APIs, built on Starlette and Pydantic.",
        "website": "https://fastapi.tiangolo.com/",
    },
    {
        "slug": "rails",
        "name": "Ruby on Rails",
        "summary": "Ruby's full-stack framework, famous for conventions that save decisions.",
        "website": "https://rubyonrails.org/",
    },
    {
        "slug": "postgresql",
        "name": "PostgreSQL",
        "summary": "The open-source relational database with the broadest feature set.",
        "website": "https://www.postgresql.org/",
    },
    {
        "slug": "mysql",
        "name": "MySQL",
        "summary": "The widely hosted open-source relational database, now owned by Oracle.",
        "website": "https://www.mysql.com/",
    },
    {
        "slug": "mongodb",
        "name": "MongoDB",
        "summary": "A document database that stores JSON-like records without a fixed schema.",
        "website": "https://www.mongodb.com/",
    },
    {
        "slug": "sqlite",
        "name": "SQLite",
        "summary": "A whole SQL database in one file, linked into your program as a library.",
        "website": "https://sqlite.org/",
    },
    {
        "slug": "redis",
        "name": "Redis",
        "summary": "An in-memory data-structure server used for caches, queues and counters.",
        "website": "https://redis.io/",
    },
    {
        "slug": "memcached",
        "name": "Memcached",
        "summary": "A plain, multi-threaded in-memory key-value cache.",
        "website": "https://memcached.org/",
    },
    {
        "slug": "react",
        "name": "React",
        "summary": "Meta's library for building interfaces from components and JSX.",
        "website": "https://react.dev/",
    },
    {
        "slug": "vue",
        "name": "Vue",
        "summary": "A progressive frontend framework with single-file components.",
        "website": "https://vuejs.org/",
    },
    {
        "slug": "svelte",
        "name": "Svelte",
        "summary": "A compiler that turns components into small, framework-free JavaScript.",
        "website": "https://svelte.dev/",
    },
    {
        "slug": "docker",
        "name": "Docker",
        "summary": "The tool that made containers mainstream: build, ship and run images.",
        "website": "https://www.docker.com/",
    },
    {
        "slug": "podman",
        "name": "Podman",
        "summary": "A daemonless, rootless container engine with a Docker-compatible CLI.",
        "website": "https://podman.io/",
    },
    {
        "slug": "kubernetes",
        "name": "Kubernetes",
        "summary": "The container orchestrator: declarative deployments across many machines.",
        "website": "https://kubernetes.io/",
    },
    {
        "slug": "nomad",
        "name": "Nomad",
        "summary": "HashiCorp's single-binary scheduler for containers and plain processes.",
        "website": "https://www.nomadproject.io/",
    },
    {
        "slug": "nginx",
        "name": "nginx",
        "summary": "The event-driven web server and reverse proxy in front of much of the web.",
        "website": "https://nginx.org/",
    },
    {
        "slug": "caddy",
        "name": "Caddy",
        "summary": "A Go web server that gets and renews HTTPS certificates by itself.",
        "website": "https://caddyserver.com/",
    },
    {
        "slug": "terraform",
        "name": "Terraform",
        "summary": "Infrastructure as code in HCL, with providers for almost every cloud.",
        "website": "https://www.terraform.io/",
    },
    {
        "slug": "pulumi",
        "name": "Pulumi",
        "summary": "Infrastructure as code written in general-purpose languages.",
        "website": "https://www.pulumi.com/",
    },
]

COMPARISONS = [
    {
        "slug": "flask-vs-express",
        "title": "Flask vs Express",
        "subtitle": "Two micro-frameworks, two languages, one question: which ecosystem is yours?",
        "summary": (
            "Flask and Express are both small, unopinionated web frameworks. The real choice is "
            "Python or JavaScript on the server. For a team without a strong preference we pick "
            "Flask: its request handling is easier to read and Python's data libraries come free."
        ),
        "body": """## What they have in common

Both frameworks give you routing, a request and a response, and get out of the way. Neither
ships an ORM, an admin or a form library; you add what you need from a large ecosystem.

## Where they differ

- **Language.** Flask is Python; Express is JavaScript or TypeScript on Node.js.
- **Concurrency.** Express runs on Node's event loop, so many slow clients cost little.
  Flask is synchronous by default and scales with worker processes.
- **Structure.** Flask has blueprints and an application factory pattern; Express has
  routers and middleware chains. Both leave the layout of a larger project to you.

## A route in each

```python
@app.get("/hello/<name>")
def hello(name):
    return {"greeting": f"Hello, {name}"}
```

```javascript
app.get("/hello/:name", (req, res) => {
  res.json({ greeting: `Hello, ${req.params.name}` });
});
```

## Our take

If your frontend team already writes TypeScript all day, Express keeps one language across the
stack, and that is worth a lot. Otherwise Flask wins on clarity: errors are easier to trace,
the extension ecosystem is mature, and Python gives you data tooling you will eventually want.
""",
        "tool_a": "flask",
        "tool_b": "express",
        "versions": ("3.1", "5.1"),
        "category": "backend",
        "tags": ["python", "javascript", "web", "backend"],
        "status": "published",
        "days": 3,
        "last_reviewed_days": 3,
        "factors": [
            from_facts("language", ""),
            from_facts("learning-curve", "tie"),
            from_facts("concurrency-model", "b"),
            ("Readability of errors", "Clear tracebacks", "Callback-heavy stacks", "a"),
            ("Data and ML libraries", "Python's whole ecosystem", "Limited", "a"),
            ("Full-stack one language", "No", "Yes", "b"),
            from_facts("license", "tie"),
        ],
        "verdict": {
            "pick": "a",
            "headline": "Flask: clearer code and Python's libraries on tap",
            "reason": (
                "Both are small and stable, so the language decides. Python reads more plainly "
                "for server code and brings data tooling you would otherwise bolt on later."
            ),
            "use_a_if": "Your team knows Python or your app will touch data analysis.",
            "use_b_if": "Your team writes TypeScript everywhere and wants one language.",
            "consider_tool": "fastapi",
            "consider_note": "If you are building a typed JSON API, FastAPI gives you validation "
            "and docs for free.",
            "bottom_line": "Pick the language your team already writes; if undecided, Flask.",
        },
    },
    {
        "slug": "django-vs-flask",
        "title": "Django vs Flask",
        "subtitle": "Batteries included, or bring your own?",
        "summary": (
            "Django gives you an ORM, migrations, an admin and authentication on day one; Flask "
            "gives you a clean slate. For most products that store data and have users, Django's "
            "defaults save weeks, so it is our pick."
        ),
        "body": """## The trade

Flask starts tiny and grows by extensions: SQLAlchemy for data, Flask-Login for users,
Flask-WTF for forms. Django starts big and you rarely add a core piece yourself.

## What Django's box holds

- An ORM with migrations that are generated for you
- The admin: a working back office from your models
- Authentication, sessions, CSRF protection and forms
- A mature security track record and a long-term-support release cycle

## When Flask is the better fit

Small services, prototypes and APIs with no relational data model benefit from Flask's
lightness. You also get to pick each component, which matters when you have strong opinions.

## Our take

Teams underestimate how much plumbing a real product needs. Django's batteries are well
integrated and documented together, which is something a set of extensions cannot match.
""",
        "tool_a": "django",
        "tool_b": "flask",
        "versions": ("5.2", "3.1"),
        "category": "backend",
        "tags": ["python", "web", "backend", "orm"],
        "status": "published",
        "days": 12,
        "last_reviewed_days": 12,
        "factors": [
            ("Built-in ORM and migrations", "Yes", "No (SQLAlchemy + Alembic)", "a"),
            ("Admin interface", "Included", "Extension", "a"),
            ("Size of the core", "Large", "Small", "b"),
            ("Freedom of structure", "Conventions", "Anything goes", "b"),
            ("Security defaults", "Strong out of the box", "Depends on extensions", "a"),
            ("Long-term support", "LTS releases", "No LTS policy", "a"),
        ],
        "verdict": {
            "pick": "a",
            "headline": "Django: the plumbing every product needs, already connected",
            "reason": (
                "Users, data and a back office are in nearly every project. Django ships them "
                "integrated and tested together, so you spend time on your product instead."
            ),
            "use_a_if": "You are building a product with users, relational data and an admin.",
            "use_b_if": "You are writing a small service and want to choose every piece.",
            "consider_tool": "fastapi",
            "consider_note": "For an API-only service with heavy typing, look at FastAPI.",
            "bottom_line": "Django for products, Flask for small services.",
        },
    },
    {
        "slug": "fastapi-vs-flask",
        "title": "FastAPI vs Flask",
        "subtitle": "Type hints as an API contract, or the classic micro-framework?",
        "summary": (
            "FastAPI turns Python type hints into request validation and OpenAPI documentation, "
            "and runs on ASGI. Flask is simpler and older, with more extensions. For a new JSON "
            "API we pick FastAPI."
        ),
        "body": """## Validation you do not write

In FastAPI, a function signature with Pydantic models is the contract: bad input gets a 422
with a precise error and the docs at `/docs` update themselves. In Flask you validate by hand
or with an extension such as marshmallow.

## Async

FastAPI is ASGI-native: `async def` handlers run on an event loop, which helps when a request
waits on other services. Flask supports async views, but each request still holds a worker.

## Where Flask still wins

Server-rendered HTML, Jinja templates and a decade of extensions. If your app is mostly pages
rather than JSON, Flask is the more natural home.

## Our take

For an HTTP API started today, FastAPI removes a whole class of boilerplate and gives clients a
machine-readable contract.
""",
        "tool_a": "fastapi",
        "tool_b": "flask",
        "versions": ("0.115", "3.1"),
        "category": "backend",
        "tags": ["python", "api", "backend", "async"],
        "status": "published",
        "days": 25,
        "last_reviewed_days": 25,
        "factors": [
            ("Request validation", "From type hints", "Manual or extension", "a"),
            ("OpenAPI docs", "Generated", "Extension", "a"),
            ("Async support", "Native (ASGI)", "Partial (WSGI)", "a"),
            ("HTML pages", "Possible", "Natural fit", "b"),
            ("Extension ecosystem", "Growing", "Large and mature", "b"),
            from_facts("license", "tie"),
        ],
        "verdict": {
            "pick": "a",
            "headline": "FastAPI: typed contracts and free docs for new APIs",
            "reason": (
                "Validation and documentation come from code you write anyway. For JSON APIs "
                "that is a lasting saving, and the async core handles slow upstreams well."
            ),
            "use_a_if": "You are building a JSON API that other teams or clients consume.",
            "use_b_if": "Your app renders HTML pages or depends on a Flask extension.",
            "consider_tool": "django",
            "consider_note": "If the API sits on a large relational model with an admin, "
            "Django with a REST toolkit may serve better.",
            "bottom_line": "New API: FastAPI. Server-rendered site: Flask.",
        },
    },
    {
        "slug": "django-vs-rails",
        "title": "Django vs Ruby on Rails",
        "subtitle": "The two great full-stack frameworks, compared on what still differs.",
        "summary": (
            "Django and Rails solve the same problem with similar maturity. Rails moves faster "
            "with more conventions and generators; Django is more explicit and its admin is "
            "unmatched. We pick Django, mostly for Python."
        ),
        "body": """## Similar shapes

Both have an ORM with migrations, a templating layer, routing, background-job integrations
and large communities. Either can carry a product for a decade.

## Different temperaments

Rails prefers convention and magic: name things the expected way and code appears. Django
prefers explicit configuration: more typing, fewer surprises when reading someone else's code.

## The ecosystems

Python is used far beyond the web, in data science, scripting and machine learning, so hiring
and sharing code with other teams is easier. Ruby's community is smaller but very web-focused.

## Our take

Rails is a joy for small teams who know it. Django wins for most organisations because of
Python's reach and because its admin turns models into a usable back office in minutes.
""",
        "tool_a": "django",
        "tool_b": "rails",
        "versions": ("5.2", "8.0"),
        "category": "backend",
        "tags": ["python", "ruby", "web", "backend", "orm"],
        "status": "published",
        "days": 40,
        "last_reviewed_days": 220,
        "factors": [
            ("Language reach", "Python: web, data, scripting", "Ruby: mostly web", "a"),
            ("Conventions", "Explicit", "Strong conventions", ""),
            ("Scaffolding and generators", "Basic", "Extensive", "b"),
            ("Admin back office", "Built in", "Gems", "a"),
            ("Real-time features", "Channels (add-on)", "Hotwire and Action Cable", "b"),
            from_facts("first-release", "tie"),
        ],
        "verdict": {
            "pick": "a",
            "headline": "Django: Python's reach and an admin you get for free",
            "reason": (
                "The frameworks are peers. Python's wider use makes hiring and code-sharing "
                "easier, and Django's admin keeps paying off as a product grows."
            ),
            "use_a_if": "Your organisation already uses Python or needs a back office fast.",
            "use_b_if": "Your team knows Ruby and values generators and conventions.",
            "consider_tool": None,
            "consider_note": "",
            "bottom_line": "Peers in quality; Django for most teams, Rails for Ruby shops.",
        },
    },
    {
        "slug": "postgresql-vs-mysql",
        "title": "PostgreSQL vs MySQL",
        "subtitle": "The two open-source relational databases, for a new project today.",
        "summary": (
            "Both are fast, reliable and everywhere. PostgreSQL has the richer SQL, better "
            "extension story and stricter defaults; MySQL is simpler to run at some hosts. "
            "For a new project we pick PostgreSQL."
        ),
        "body": """## Features

PostgreSQL supports window functions, common table expressions, rich JSON with indexes, full-text
search, partial and expression indexes, and extensions such as PostGIS and pgvector. MySQL has
caught up on many of these, but PostgreSQL still goes further.

## Correctness

PostgreSQL refuses bad data by default. MySQL's strict mode is now the default too, but older
installations and some hosts still run lenient settings that silently truncate values.

| Topic | PostgreSQL | MySQL |
|---|---|---|
| Transactional DDL | Yes | No |
| Check constraints | Long supported | Since 8.0.16 |
| Extensions | Many | Few |

## Operations

MySQL replication is familiar to many operators and managed offerings are everywhere. Managed
PostgreSQL is just as common now, so this difference has mostly gone.

## Our take

Start with PostgreSQL unless your host or your team's experience says otherwise.
""",
        "tool_a": "postgresql",
        "tool_b": "mysql",
        "versions": ("17", "8.4"),
        "category": "databases",
        "tags": ["sql", "relational", "open-source"],
        "status": "published",
        "days": 60,
        "last_reviewed_days": 60,
        "factors": [
            ("SQL features", "Very broad", "Broad", "a"),
            from_facts("transactional-ddl", "a"),
            ("Extensions", "PostGIS, pgvector and more", "Few", "a"),
            ("Simple hosting", "Common", "Ubiquitous", "b"),
            ("Read-heavy speed", "Fast", "Fast", "tie"),
            from_facts("license", "a"),
        ],
        "verdict": {
            "pick": "a",
            "headline": "PostgreSQL: more SQL, safer defaults, better extensions",
            "reason": (
                "Both run serious workloads. PostgreSQL gives you more room to grow inside the "
                "database and protects your data more strictly by default."
            ),
            "use_a_if": "You are starting fresh and want room to grow.",
            "use_b_if": "Your host, tools or team are built around MySQL.",
            "consider_tool": "sqlite",
            "consider_note": "For a single-server app with modest writes, SQLite may be all you "
            "need.",
            "bottom_line": "Default to PostgreSQL.",
        },
    },
    {
        "slug": "postgresql-vs-mongodb",
        "title": "PostgreSQL vs MongoDB",
        "subtitle": "Relational with JSON, or documents all the way down?",
        "summary": (
            "MongoDB stores flexible documents and scales out by sharding. PostgreSQL stores "
            "relations and handles JSON columns well too. Since most data ends up relational, "
            "we pick PostgreSQL."
        ),
        "body": """## Schemas

MongoDB lets each document take its own shape, which is pleasant early on. Most applications
grow an implicit schema anyway, and then you enforce it in code. PostgreSQL enforces it for you
and still lets you keep a `jsonb` column for the parts that really vary.

## Queries

Joins, aggregates and transactions across tables are PostgreSQL's home ground. MongoDB has an
aggregation pipeline and multi-document transactions, but cross-collection work is clumsier.

## Scaling

MongoDB's sharding is built in. PostgreSQL scales vertically very far and reads scale with
replicas; sharding needs an extension such as Citus.

## Our take

Pick MongoDB when documents are your data model and you expect to shard. Otherwise a
relational database with JSON support gives you both worlds.
""",
        "tool_a": "postgresql",
        "tool_b": "mongodb",
        "versions": ("17", "8.0"),
        "category": "databases",
        "tags": ["sql", "nosql", "relational", "json"],
        "status": "published",
        "days": 90,
        "last_reviewed_days": 200,
        "factors": [
            ("Data model", "Tables plus JSON", "Documents", ""),
            ("Joins and transactions", "First-class", "Limited", "a"),
            ("Schema flexibility", "jsonb columns", "Per document", "b"),
            ("Built-in sharding", "No (extensions)", "Yes", "b"),
            ("Constraints and integrity", "Strong", "Application-side", "a"),
        ],
        "verdict": {
            "pick": "a",
            "headline": "PostgreSQL: relations when you need them, JSON when you do not",
            "reason": (
                "Data tends to become relational over time. PostgreSQL keeps integrity in the "
                "database and still handles semi-structured data with jsonb."
            ),
            "use_a_if": "Your data has relations or you need reliable transactions.",
            "use_b_if": "Your data is truly document-shaped and you plan to shard early.",
            "consider_tool": None,
            "consider_note": "",
            "bottom_line": "PostgreSQL for most apps; MongoDB for document-first, sharded ones.",
        },
    },
    {
        "slug": "redis-vs-memcached",
        "title": "Redis vs Memcached",
        "subtitle": "Two in-memory stores; only one is just a cache.",
        "summary": (
            "Memcached is a fast, simple, multi-threaded cache. Redis is a cache too, plus data "
            "structures, pub/sub, streams and optional persistence. Redis is our pick because one "
            "service covers more jobs."
        ),
        "body": """## Caching

For plain get/set of blobs, both are extremely fast. Memcached's multi-threading can use many
cores in one process; Redis is mostly single-threaded per instance but rarely the bottleneck.

## Beyond caching

Redis offers lists, sets, sorted sets, hashes, streams and atomic counters. Rate limiting, job
queues, leaderboards and session stores become a few commands.

```text
INCR rate:203.0.113.7
EXPIRE rate:203.0.113.7 600
```

## Licensing

Redis changed its licence in 2024 and added AGPL as an option in 2025; Valkey is a BSD-licensed
fork. Memcached remains BSD-licensed.

## Our take

Unless you need nothing but a cache, Redis saves you running a second system.
""",
        "tool_a": "redis",
        "tool_b": "memcached",
        "versions": ("8.0", "1.6"),
        "category": "databases",
        "tags": ["cache", "in-memory", "nosql"],
        "status": "published",
        "days": 120,
        "last_reviewed_days": 120,
        "factors": [
            ("Plain caching speed", "Very fast", "Very fast", "tie"),
            ("Data structures", "Many", "Strings only", "a"),
            ("Persistence", "Optional", "None", "a"),
            ("Multi-threading", "Limited", "Yes", "b"),
            ("Licence simplicity", "Changed in 2024", "BSD", "b"),
        ],
        "verdict": {
            "pick": "a",
            "headline": "Redis: a cache that also does your queues and counters",
            "reason": (
                "Speed is a tie for caching. Redis's data structures replace several small "
                "systems, which means fewer things to run."
            ),
            "use_a_if": "You want caching plus counters, queues or pub/sub.",
            "use_b_if": "You need only a simple, multi-threaded cache.",
            "consider_tool": None,
            "consider_note": "",
            "bottom_line": "Redis, unless caching is all you will ever do.",
        },
    },
    {
        "slug": "react-vs-vue",
        "title": "React vs Vue",
        "subtitle": "The biggest ecosystem, or the gentlest framework?",
        "summary": (
            "React has the largest ecosystem and job market; Vue is easier to learn and ships "
            "more of what you need in one coherent package. For a team choosing freely we pick "
            "Vue, because its defaults are good and consistent."
        ),
        "body": """## Learning

Vue's single-file components keep template, script and style together, and its reactivity
works without thinking about re-renders. React asks you to learn hooks and their rules, and to
pick a router, state library and build setup.

## Ecosystem

React's ecosystem is enormous: component libraries, meta-frameworks such as Next.js and more
hiring options. Vue's is smaller but official: router, state (Pinia) and tooling from one team.

## Performance

Both are fast enough for almost anything. Vue's compiler-informed reactivity avoids some of the
memoisation work React apps end up doing.

## Our take

If hiring at scale is the constraint, React. Otherwise Vue gets a team productive sooner and
keeps a codebase more uniform.
""",
        "tool_a": "react",
        "tool_b": "vue",
        "versions": ("19", "3.5"),
        "category": "frontend",
        "tags": ["javascript", "frontend", "components"],
        "status": "published",
        "days": 150,
        "last_reviewed_days": 150,
        "factors": [
            from_facts("learning-curve", "b"),
            ("Ecosystem size", "Largest", "Large", "a"),
            ("Official router and state", "No", "Yes", "b"),
            ("Job market", "Biggest", "Smaller", "a"),
            ("Templates", "JSX", "HTML-based templates", ""),
            from_facts("license", "tie"),
        ],
        "verdict": {
            "pick": "b",
            "headline": "Vue: good defaults and a gentler path to a working app",
            "reason": (
                "Vue's official pieces fit together and its reactivity needs less ceremony. "
                "React's ecosystem is bigger, but most apps do not need all of it."
            ),
            "use_a_if": "You hire at scale or depend on React-only libraries.",
            "use_b_if": "You want a coherent framework your team learns in days.",
            "consider_tool": "svelte",
            "consider_note": "Svelte ships the least JavaScript of the three.",
            "bottom_line": "Vue for most teams; React when the job market decides.",
        },
    },
    {
        "slug": "svelte-vs-vue",
        "title": "Svelte vs Vue",
        "subtitle": "A compiler against a runtime framework.",
        "summary": (
            "Svelte compiles components to small imperative code; Vue runs a reactive runtime. "
            "Svelte's bundles are smaller and its syntax leaner; Vue's ecosystem is larger and "
            "more settled. We pick Vue for teams, Svelte for small fast sites."
        ),
        "body": """## How they work

Svelte does its work at build time, so the browser receives little framework code. Vue ships a
runtime that tracks reactive state and patches the DOM.

## Writing components

Both use single-file components. Svelte's runes make reactivity explicit; Vue's Composition
API does the same with `ref` and `computed`.

## Ecosystem

Vue has more component libraries, more answers to questions and more developers who know it.
SvelteKit is excellent, but the wider ecosystem is younger.

## Our take

For a product that many people will maintain over years, Vue's maturity wins.
""",
        "tool_a": "svelte",
        "tool_b": "vue",
        "versions": ("5", "3.5"),
        "category": "frontend",
        "tags": ["javascript", "frontend", "components", "performance"],
        "status": "review",
        "days": 0,
        "last_reviewed_days": 5,
        "factors": [
            ("Bundle size", "Smallest", "Small", "a"),
            ("Ecosystem", "Younger", "Mature", "b"),
            ("Syntax", "Very lean", "Lean", "a"),
            ("Hiring", "Harder", "Easier", "b"),
        ],
        "verdict": {
            "pick": "b",
            "headline": "Vue: maturity for products that live for years",
            "reason": (
                "Svelte is delightful and lean, but Vue's ecosystem and community make long-lived "
                "products easier to staff and extend."
            ),
            "use_a_if": "You build small, fast sites and love minimal output.",
            "use_b_if": "You build a product many people will maintain.",
            "consider_tool": "react",
            "consider_note": "React if you need the largest hiring pool.",
            "bottom_line": "Vue for teams, Svelte for lean sites.",
        },
    },
    {
        "slug": "docker-vs-podman",
        "title": "Docker vs Podman",
        "subtitle": "The original container engine, or the daemonless alternative?",
        "summary": (
            "Podman runs containers without a root daemon and speaks Docker's command line. "
            "Docker has the smoothest desktop experience and Compose. On Linux servers we pick "
            "Podman; on developer laptops Docker stays hard to beat."
        ),
        "body": """## Architecture

Docker runs a long-lived daemon that your CLI talks to; by default it runs as root. Podman
starts each container as a child process, rootless by default, with no daemon to secure.

## Compatibility

`alias docker=podman` works for most day-to-day commands, and both build standard OCI images.
Compose files run under Podman through `podman compose`, with occasional rough edges.

## Integration

Podman generates systemd units (Quadlet) so containers start like any service. Docker Desktop
gives macOS and Windows users a polished VM and GUI.

## Our take

For servers, rootless and daemonless is a real security gain. For laptops, use what your team's
tooling expects.
""",
        "tool_a": "docker",
        "tool_b": "podman",
        "versions": ("28", "5"),
        "category": "infrastructure",
        "tags": ["containers", "linux", "devops"],
        "status": "published",
        "days": 200,
        "last_reviewed_days": 190,
        "factors": [
            ("Daemon", "Yes, root by default", "None, rootless", "b"),
            ("CLI compatibility", "The reference", "Near drop-in", "a"),
            ("Compose support", "Native", "Works, rougher", "a"),
            ("systemd integration", "Basic", "Quadlet units", "b"),
            ("Desktop apps", "Docker Desktop", "Podman Desktop", "a"),
            from_facts("license", "tie"),
        ],
        "verdict": {
            "pick": "b",
            "headline": "Podman: containers without a root daemon on your servers",
            "reason": (
                "Removing the root daemon removes a whole class of risk, and Podman's CLI is "
                "close enough that habits carry over."
            ),
            "use_a_if": "You work on macOS or Windows and rely on Compose daily.",
            "use_b_if": "You run containers on Linux servers and care about least privilege.",
            "consider_tool": "kubernetes",
            "consider_note": "At many machines, an orchestrator matters more than the engine.",
            "bottom_line": "Podman on servers, Docker on laptops.",
        },
    },
    {
        "slug": "kubernetes-vs-nomad",
        "title": "Kubernetes vs Nomad",
        "subtitle": "The industry standard, or the scheduler you can understand in an afternoon?",
        "summary": (
            "Kubernetes is everywhere, with managed offerings and tools for everything. Nomad is "
            "one binary that schedules containers and plain processes. For most teams we pick "
            "Kubernetes through a managed service."
        ),
        "body": """## Complexity

Nomad is famously simple to install and reason about. Kubernetes has more concepts to learn:
pods, deployments, services, ingresses and a large API.

## Ecosystem

Helm charts, operators, service meshes and every monitoring vendor target Kubernetes first.
Managed clusters from every cloud remove most of the operational burden.

## Flexibility

Nomad schedules non-container workloads too: Java jars, binaries, even VMs.

## Our take

Let a cloud run Kubernetes for you and enjoy its ecosystem. Choose Nomad for on-premises
fleets with mixed workloads and a small platform team.
""",
        "tool_a": "kubernetes",
        "tool_b": "nomad",
        "versions": ("1.33", "1.10"),
        "category": "infrastructure",
        "tags": ["containers", "orchestration", "devops"],
        "status": "scheduled",
        "days": 3,
        "last_reviewed_days": 2,
        "factors": [
            from_facts("learning-curve", "b"),
            ("Ecosystem", "Vast", "Modest", "a"),
            ("Managed offerings", "Every cloud", "Few", "a"),
            ("Non-container workloads", "Limited", "First-class", "b"),
            ("Operational footprint", "Large", "One binary", "b"),
        ],
        "verdict": {
            "pick": "a",
            "headline": "Kubernetes, run by someone else",
            "reason": (
                "A managed cluster hides most of the complexity, and the ecosystem means every "
                "tool you need already supports it."
            ),
            "use_a_if": "You run in a public cloud and want the standard tools.",
            "use_b_if": "You run mixed workloads on your own hardware with a small team.",
            "consider_tool": "docker",
            "consider_note": "For a handful of services, plain containers on one host may do.",
            "bottom_line": "Managed Kubernetes for most; Nomad for small on-prem teams.",
        },
    },
    {
        "slug": "nginx-vs-caddy",
        "title": "nginx vs Caddy",
        "subtitle": "The proven workhorse, or HTTPS by default?",
        "summary": (
            "nginx is everywhere, fast and endlessly tunable. Caddy obtains and renews TLS "
            "certificates on its own and has a short, readable config. For a new small or "
            "medium site we pick Caddy."
        ),
        "body": """## Configuration

A Caddy site that serves HTTPS and proxies to an app is a few lines:

```text
example.com {
    reverse_proxy 127.0.0.1:8000
}
```

The equivalent nginx setup needs a server block, certificate paths and a separate tool to
renew certificates.

## Performance

nginx is the faster of the two at the very high end and uses less memory. For most sites
either is far from the bottleneck.

## Our take

Caddy removes a job (certificates) and a class of mistakes. Choose nginx when you need its
modules, its raw efficiency or your team knows it well.
""",
        "tool_a": "nginx",
        "tool_b": "caddy",
        "versions": ("1.28", "2.10"),
        "category": "infrastructure",
        "tags": ["web-server", "https", "devops"],
        "status": "published",
        "days": 260,
        "last_reviewed_days": 260,
        "factors": [
            ("Automatic HTTPS", "No (certbot)", "Built in", "b"),
            ("Config readability", "Verbose", "Short", "b"),
            ("Raw performance", "Excellent", "Very good", "a"),
            ("Module ecosystem", "Huge", "Growing", "a"),
            from_facts("license", "tie"),
        ],
        "verdict": {
            "pick": "b",
            "headline": "Caddy: HTTPS you never think about again",
            "reason": (
                "Automatic certificates and a short config remove the most common outages and "
                "mistakes for small and medium sites."
            ),
            "use_a_if": "You need nginx modules or serve enormous traffic.",
            "use_b_if": "You want HTTPS and a reverse proxy with almost no configuration.",
            "consider_tool": None,
            "consider_note": "",
            "bottom_line": "Caddy for new sites; nginx where it is already known.",
        },
    },
    {
        "slug": "terraform-vs-pulumi",
        "title": "Terraform vs Pulumi",
        "subtitle": "A configuration language, or your programming language?",
        "summary": (
            "Terraform describes infrastructure in HCL and has the largest provider ecosystem. "
            "Pulumi uses Python, TypeScript or Go. We pick Terraform for its ubiquity, though "
            "its 2023 licence change is worth weighing."
        ),
        "body": """## Languages

HCL is declarative and limited on purpose: infrastructure reads like a list of resources.
Pulumi lets you use loops, functions and tests from a real language, which helps for complex
setups and hurts when people get clever.

## Ecosystem

Terraform's providers and modules cover nearly everything, and most examples online use it.

## Licensing

Terraform moved to the Business Source License in 2023; OpenTofu is the open-source fork.
Pulumi's engine is Apache-2.0.

## Our take

Terraform (or OpenTofu) for most teams; Pulumi for developer-heavy teams who want real code.
""",
        "tool_a": "terraform",
        "tool_b": "pulumi",
        "versions": ("1.12", "3"),
        "category": "infrastructure",
        "tags": ["infrastructure-as-code", "devops", "cloud"],
        "status": "draft",
        "days": 0,
        "last_reviewed_days": 1,
        "factors": [
            from_facts("language", ""),
            ("Provider ecosystem", "Largest", "Large (bridged)", "a"),
            ("Testing", "Limited", "Unit tests in your language", "b"),
            from_facts("license", "b"),
        ],
        "verdict": {
            "pick": "a",
            "headline": "Terraform: the lingua franca of infrastructure",
            "reason": (
                "Its providers and community examples cover everything, and HCL keeps "
                "infrastructure code plain."
            ),
            "use_a_if": "You want the standard tool with the most examples.",
            "use_b_if": "Your team prefers writing and testing infrastructure in code.",
            "consider_tool": None,
            "consider_note": "",
            "bottom_line": "Terraform or OpenTofu for most; Pulumi for code-first teams.",
        },
    },
    {
        "slug": "sqlite-vs-mysql",
        "title": "SQLite vs MySQL",
        "subtitle": "A file, or a server?",
        "summary": (
            "SQLite is a library that stores a whole database in one file; MySQL is a server. "
            "For a single-server web app with modest writes we pick SQLite: nothing to run, "
            "nothing to secure, and very fast reads."
        ),
        "body": """## Operations

SQLite has no server, users or network port. Backups are copies of a file (with the online
backup API). MySQL needs a service, credentials and upkeep.

## Concurrency

SQLite allows one writer at a time; with WAL mode, readers do not block it. Most small sites
write rarely enough that this never matters. Many concurrent writers, or several app servers,
need a server database.

## Our take

Start with SQLite when one machine is enough. Move to a server database when you need many
writers or more than one app host.
""",
        "tool_a": "sqlite",
        "tool_b": "mysql",
        "versions": ("3.49", "8.4"),
        "category": "databases",
        "tags": ["sql", "relational", "embedded"],
        "status": "review",
        "days": 0,
        "last_reviewed_days": 4,
        "factors": [
            from_facts("needs-server", "a"),
            ("Concurrent writers", "One at a time", "Many", "b"),
            ("Several app hosts", "No", "Yes", "b"),
            ("Read latency", "In-process", "Network round trip", "a"),
            from_facts("license", "a"),
        ],
        "verdict": {
            "pick": "a",
            "headline": "SQLite: no server is the best server for small sites",
            "reason": (
                "For one machine and modest writes, SQLite removes a whole service while "
                "answering reads faster than any network database."
            ),
            "use_a_if": "Your app runs on one host with modest write traffic.",
            "use_b_if": "You have many concurrent writers or several app servers.",
            "consider_tool": "postgresql",
            "consider_note": "If you outgrow SQLite, PostgreSQL is the usual next step.",
            "bottom_line": "SQLite until you need a server.",
        },
    },
]

# Readers' notes from the "Disagree?" form, by comparison slug: (would_pick, message, name, status).
FEEDBACK = {
    "flask-vs-express": [
        (
            "b",
            "Our whole team writes TypeScript, so Express was the obvious call for us.",
            "Lin",
            "new",
        ),
        ("a", "Agree with the pick: Flask's tracebacks saved us hours last quarter.", "", "read"),
        ("other", "Have you looked at Hono? Tiny, typed and runs everywhere.", "Sam", "new"),
    ],
    "react-vs-vue": [
        ("a", "Hiring decided it for us: every candidate knew React already.", "Priya", "new"),
        ("b", "Vue's single-file components made onboarding juniors painless.", "", "resolved"),
    ],
    "postgresql-vs-mysql": [
        ("a", "jsonb plus partial indexes replaced a whole service for us.", "Tomas", "read"),
    ],
}

# The criteria tools are compared on; a scale lists its levels first to last.
CRITERIA = [
    {
        "slug": "language",
        "name": "Language",
        "kind": "text",
        "description": "What you write when you work with the tool.",
        "position": 1,
    },
    {
        "slug": "license",
        "name": "License",
        "kind": "text",
        "description": "The license the tool's source code is released under.",
        "position": 2,
    },
    {
        "slug": "osi-license",
        "name": "OSI-approved license",
        "kind": "yesno",
        "description": "Whether the Open Source Initiative approves that license.",
        "position": 3,
    },
    {
        "slug": "learning-curve",
        "name": "Learning curve",
        "kind": "scale",
        "levels": "Gentle\nModerate\nSteep",
        "description": "Our estimate of how soon a developer new to it is productive.",
        "position": 4,
    },
    {
        "slug": "concurrency-model",
        "name": "Concurrency model",
        "kind": "text",
        "description": "How it serves many requests or clients at once.",
        "position": 5,
    },
    {
        "slug": "needs-server",
        "name": "Runs as its own server",
        "kind": "yesno",
        "description": "Whether it is a separate process to deploy and run beside your program.",
        "position": 6,
    },
    {
        "slug": "transactional-ddl",
        "name": "Transactional DDL",
        "kind": "yesno",
        "description": "Whether a schema change can be rolled back with its transaction.",
        "position": 7,
    },
    {
        "slug": "first-release",
        "name": "First release",
        "kind": "text",
        "description": "The year of its first public release.",
        "position": 8,
    },
]

# Each tool's facts: (criterion, value, version it applies to, days since someone checked it).
# The source of each is the tool's own website (TOOLS). A few are older than the stale
# setting (180 days), so the editors' dashboard has something to show.
FACTS = {
    "flask": [
        ("language", "Python", "", 20),
        ("license", "BSD-3-Clause", "", 20),
        ("osi-license", "Yes", "", 20),
        ("learning-curve", "Gentle", "", 20),
        ("concurrency-model", "Worker processes (async optional)", "2.0+", 20),
        ("first-release", "2010", "", 20),
    ],
    "express": [
        ("language", "JavaScript / TypeScript", "", 20),
        ("license", "MIT", "", 20),
        ("osi-license", "Yes", "", 20),
        ("learning-curve", "Gentle", "", 20),
        ("concurrency-model", "Event loop", "", 20),
        ("first-release", "2010", "", 20),
    ],
    "django": [
        ("language", "Python", "", 30),
        ("license", "BSD-3-Clause", "", 30),
        ("osi-license", "Yes", "", 30),
        ("learning-curve", "Moderate", "", 30),
        ("concurrency-model", "Worker processes, or async views on ASGI", "3.1+", 30),
        ("first-release", "2005", "", 30),
    ],
    "fastapi": [
        ("language", "Python", "", 30),
        ("license", "MIT", "", 30),
        ("osi-license", "Yes", "", 30),
        ("learning-curve", "Gentle", "", 30),
        ("concurrency-model", "Async event loop (ASGI)", "", 30),
        ("first-release", "2018", "", 30),
    ],
    "rails": [
        ("language", "Ruby", "", 40),
        ("license", "MIT", "", 40),
        ("osi-license", "Yes", "", 40),
        ("learning-curve", "Moderate", "", 40),
        ("concurrency-model", "Processes and threads (Puma)", "", 40),
        ("first-release", "2004", "", 40),
    ],
    "postgresql": [
        ("language", "SQL", "", 25),
        ("license", "PostgreSQL License", "", 25),
        ("osi-license", "Yes", "", 25),
        ("learning-curve", "Moderate", "", 25),
        ("concurrency-model", "A process per connection", "", 25),
        ("needs-server", "Yes", "", 25),
        ("transactional-ddl", "Yes", "", 25),
        ("first-release", "1996", "", 25),
    ],
    "mysql": [
        ("language", "SQL", "", 25),
        ("license", "GPLv2 or commercial", "", 25),
        ("osi-license", "Yes", "", 25),
        ("learning-curve", "Moderate", "", 25),
        ("concurrency-model", "A thread per connection", "", 25),
        ("needs-server", "Yes", "", 25),
        ("transactional-ddl", "No", "", 25),
        ("first-release", "1995", "", 25),
    ],
    "mongodb": [
        ("language", "MQL (JSON-style queries)", "", 250),
        ("license", "SSPL", "4.0.3+", 250),
        ("osi-license", "No", "4.0.3+", 250),
        ("learning-curve", "Gentle", "", 60),
        ("needs-server", "Yes", "", 60),
        ("first-release", "2009", "", 60),
    ],
    "sqlite": [
        ("language", "SQL", "", 15),
        ("license", "Public domain", "", 15),
        ("learning-curve", "Gentle", "", 15),
        ("concurrency-model", "Many readers, one writer at a time", "", 15),
        ("needs-server", "No", "", 15),
        ("transactional-ddl", "Yes", "", 15),
        ("first-release", "2000", "", 15),
    ],
    "redis": [
        ("license", "AGPLv3, RSALv2 or SSPL", "8.0+", 45),
        ("osi-license", "Yes", "8.0+", 45),
        ("learning-curve", "Gentle", "", 45),
        ("concurrency-model", "One main thread (I/O threads optional)", "6.0+", 45),
        ("needs-server", "Yes", "", 45),
        ("first-release", "2009", "", 45),
    ],
    "memcached": [
        ("license", "BSD-3-Clause", "", 45),
        ("osi-license", "Yes", "", 45),
        ("learning-curve", "Gentle", "", 45),
        ("concurrency-model", "Multi-threaded", "", 45),
        ("needs-server", "Yes", "", 45),
        ("first-release", "2003", "", 45),
    ],
    "react": [
        ("language", "JavaScript / TypeScript (JSX)", "", 10),
        ("license", "MIT", "", 10),
        ("osi-license", "Yes", "", 10),
        ("learning-curve", "Moderate", "", 10),
        ("first-release", "2013", "", 10),
    ],
    "vue": [
        ("language", "JavaScript / TypeScript", "", 10),
        ("license", "MIT", "", 10),
        ("osi-license", "Yes", "", 10),
        ("learning-curve", "Gentle", "", 10),
        ("first-release", "2014", "", 10),
    ],
    "svelte": [
        ("language", "JavaScript / TypeScript", "", 10),
        ("license", "MIT", "", 10),
        ("osi-license", "Yes", "", 10),
        ("learning-curve", "Gentle", "", 10),
        ("first-release", "2016", "", 10),
    ],
    "docker": [
        ("license", "Apache-2.0 (engine)", "", 35),
        ("osi-license", "Yes", "", 35),
        ("learning-curve", "Moderate", "", 35),
        ("needs-server", "Yes", "", 35),
        ("first-release", "2013", "", 35),
    ],
    "podman": [
        ("license", "Apache-2.0", "", 35),
        ("osi-license", "Yes", "", 35),
        ("learning-curve", "Moderate", "", 35),
        ("needs-server", "No", "", 35),
        ("first-release", "2018", "", 35),
    ],
    "kubernetes": [
        ("language", "YAML manifests", "", 50),
        ("license", "Apache-2.0", "", 50),
        ("osi-license", "Yes", "", 50),
        ("learning-curve", "Steep", "", 50),
        ("first-release", "2014", "", 50),
    ],
    "nomad": [
        ("language", "HCL job files", "", 50),
        ("license", "BUSL-1.1", "", 400),
        ("osi-license", "No", "", 400),
        ("learning-curve", "Gentle", "", 50),
        ("first-release", "2015", "", 50),
    ],
    "nginx": [
        ("language", "nginx configuration", "", 20),
        ("license", "BSD-2-Clause", "", 20),
        ("osi-license", "Yes", "", 20),
        ("learning-curve", "Moderate", "", 20),
        ("concurrency-model", "Event-driven worker processes", "", 20),
        ("first-release", "2004", "", 20),
    ],
    "caddy": [
        ("language", "Caddyfile or JSON", "", 20),
        ("license", "Apache-2.0", "", 200),
        ("osi-license", "Yes", "", 20),
        ("learning-curve", "Gentle", "", 20),
        ("concurrency-model", "Goroutines", "", 20),
        ("first-release", "2015", "", 20),
    ],
    "terraform": [
        ("language", "HCL", "", 30),
        ("license", "BUSL-1.1", "1.6+", 30),
        ("osi-license", "No", "1.6+", 30),
        ("learning-curve", "Moderate", "", 30),
        ("first-release", "2014", "", 30),
    ],
    "pulumi": [
        ("language", "Python, TypeScript, Go, C# and more", "", 30),
        ("license", "Apache-2.0", "", 30),
        ("osi-license", "Yes", "", 30),
        ("learning-curve", "Moderate", "", 30),
        ("first-release", "2018", "", 30),
    ],
}

# Public change notes (History, /changes/): (slug, days ago, note, significant, what changed).
HISTORY = [
    (
        "postgresql-vs-mysql",
        40,
        "We re-ran our JSON workloads on current releases; the gap in indexing JSON documents "
        "is wider than we first wrote.",
        True,
        ["Edge on JSON support: tie → PostgreSQL"],
    ),
    (
        "postgresql-vs-mysql",
        12,
        "Corrected the replication section after readers pointed out the newer defaults.",
        False,
        ["Text updated"],
    ),
    (
        "docker-vs-podman",
        20,
        "Rootless mode is now the default we recommend for both; the table says so.",
        False,
        ["Values of Rootless updated"],
    ),
]
