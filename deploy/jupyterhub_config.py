"""JupyterHub's configuration for the course's classroom (started by `make classroom`).

Everything that varies (ports, folders, who is in the class) comes from the settings file that
`make classroom` writes next to the hub's database (CLASSROOM_SETTINGS); this file is the policy:

* PAM logins for the Linux accounts of the roster, nobody else; no hub admin;
* every user server is `jupyterhub-singleuser` from the course environment, started as its
  user's account with LocalProcessSpawner, with its role's read-only Jupyter settings
  (JUPYTER_CONFIG_DIR: which nbgrader extensions the role sees, the exchange, the course id);
* formgrader runs as a hub service under the grader account, reachable only by the hub group
  formgrade-<course> (instructors and TAs), without OAuth's confirmation page.
"""

import json
import os
from pathlib import Path

c = get_config()  # noqa: F821  (provided by traitlets when it loads this file)
settings = json.loads(Path(os.environ["CLASSROOM_SETTINGS"]).read_text(encoding="utf-8"))
hub_dir = Path(settings["hub_dir"])

# --------------------------------------------------------------------------- network: loopback
c.JupyterHub.ip = settings["ip"]
c.JupyterHub.port = settings["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings["hub_port"]
c.ConfigurableHTTPProxy.command = [settings["proxy_bin"]]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings['proxy_api_port']}"
c.ConfigurableHTTPProxy.pid_file = str(hub_dir / "proxy.pid")
# (no auth_token set: the hub makes a new one at each start and hands it to its proxy privately)

# --------------------------------------------------------------------------- the hub's own state
c.JupyterHub.db_url = f"sqlite:///{hub_dir / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(hub_dir / "jupyterhub_cookie_secret")  # 600, made by the hub
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every user server and the service

# --------------------------------------------------------------------------- who may log in
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False  # no login session per server (containers lack one)
c.Authenticator.allowed_users = set(settings["users"])
c.Authenticator.admin_users = set()  # instructors grade through the service, not as hub admins

# --------------------------------------------------------------------------- user servers
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [settings["singleuser"]]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120


def role_environment(spawner):
    """Each user's server gets its role's environment (students and staff differ)."""
    spawner.environment = {**spawner.environment, **settings["user_env"][spawner.user.name]}


c.Spawner.pre_spawn_hook = role_environment

# --------------------------------------------------------------------------- groups and roles
course = settings["course"]
c.JupyterHub.load_groups = {
    settings["formgrade_group"]: {"users": settings["staff"]},
    f"students-{course}": {"users": settings["students"]},
}
c.JupyterHub.load_roles = [
    {
        "name": f"formgrader-{course}",
        "description": "Open the course's formgrader service",
        "groups": [settings["formgrade_group"]],
        "scopes": [
            f"access:services!service={course}",
            f"read:services!service={course}",
            "list:services",
        ],
    },
]

# --------------------------------------------------------------------------- formgrader service
service = settings["service"]
c.JupyterHub.services = [
    {
        "name": course,  # = c.CourseDirectory.course_id: nbgrader finds the service by it
        "url": f"http://127.0.0.1:{service['port']}",
        "command": service["command"],
        "user": service["user"],
        "cwd": service["cwd"],
        "environment": service["environment"],
        "oauth_no_confirm": True,  # the course's own service: no "authorize access" page
    }
]
