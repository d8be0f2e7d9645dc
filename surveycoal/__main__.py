"""Allow ``python -m surveycoal``."""

from surveycoal.cli import main

if __name__ == "__main__":
    main()
