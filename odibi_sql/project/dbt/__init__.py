"""Open a dbt project as it is: dbt_project.yml, profiles.yml, models, properties, seeds, macros -> ``Project``."""
