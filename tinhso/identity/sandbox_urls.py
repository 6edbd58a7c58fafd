app_name = "sandbox_idp"
urlpatterns: list = []
