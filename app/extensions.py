"""Extension singletons, bound to the app in create_app(). The scheduler is made by app/scheduler.py
once its process is elected."""
from flask_appbuilder.models.sqla.base import SQLA
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

db = SQLA()
migrate = Migrate()
csrf = CSRFProtect()  # every form POST; FAB's JSON APIs exempt themselves (token or SameSite cookie)
