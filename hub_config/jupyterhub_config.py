# JupyterHub configuration of Agora. Settings come from AGORA_* variables (`agora config`);
# organisations and people from organisations.yaml; the logic lives in agora.hub.config.
from agora.hub.config import configure

c = get_config()  # noqa: F821 (provided by JupyterHub)
configure(c)

c.JupyterHub.log_level = "INFO"
c.JupyterHub.shutdown_on_logout = False
c.Spawner.debug = False
