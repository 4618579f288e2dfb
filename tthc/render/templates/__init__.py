"""The notice template and the script that builds its first version."""
