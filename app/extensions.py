"""Extension singletons, bound to the app in create_app()."""
from apscheduler.schedulers.background import BackgroundScheduler
from flask_appbuilder import AppBuilder
from flask_appbuilder.models.sqla.base import SQLA
from flask_migrate import Migrate

db = SQLA()
appbuilder = AppBuilder(update_perms=False)
migrate = Migrate()
scheduler = BackgroundScheduler(timezone="UTC")
