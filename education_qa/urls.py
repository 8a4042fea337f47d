"""Education qa pages."""

app_name = "education_qa"
urlpatterns: list = []
