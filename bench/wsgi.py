"""The app as gunicorn serves it in the benchmark (`gunicorn bench.wsgi:app`), plus three baselines
that exist only here, never in the served product:

- `/bench/bare`: a bare Flask route returning a string, the ceiling of the stack;
- `/bench/fab-index/`: FAB's own index page (its stock IndexView and template), signed in;
- `/bench/stock/list/`: a stock FAB `ModelView` list over the applications with a related unit
  column and FAB's default search widget, i.e. what generated CRUD gives for free.
"""
from __future__ import annotations

from flask_appbuilder import IndexView, ModelView, expose
from flask_appbuilder.models.sqla.interface import SQLAInterface

from app import create_app
from app.models.applications import Application


class StockApplicationList(ModelView):
    """FAB as it comes: the defaults are the point, so nothing is tuned."""

    route_base = "/bench/stock"
    datamodel = SQLAInterface(Application)
    list_columns = ["id", "year", "status", "unit", "submitted_at"]
    search_columns = ["year", "status", "unit"]


class StockIndex(IndexView):
    """FAB's IndexView and template under another address (ours, HomeIndexView, has the root)."""

    route_base = "/bench/fab-index"

    @expose("/")
    def index(self):
        return self.render_template("appbuilder/index.html", appbuilder=self.appbuilder)


def bench_app(config: dict | None = None):
    """The app with the baselines. Their permissions are written once, by bench/load.py before the
    server starts (sync-roles grants every permission of a registered view to Admin), not per worker."""
    flask_app = create_app(config)

    @flask_app.route("/bench/bare")
    def bare():
        return "ok"

    with flask_app.app_context():
        flask_app.appbuilder.add_view_no_menu(StockApplicationList)
        flask_app.appbuilder.add_view_no_menu(StockIndex)
    return flask_app


app = bench_app()
