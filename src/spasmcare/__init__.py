"""spasmcare: an open clinical workbench for infantile epileptic spasms syndrome (IESS).

Domain packages (pure Python, no web or database imports):

- :mod:`spasmcare.foods`   food composition (USDA SR28, specialty products, clinic recipes)
- :mod:`spasmcare.keto`    ketogenic diet prescriptions, meals and infant feeds
- :mod:`spasmcare.therapy` first-line drug courses from versioned protocols
- :mod:`spasmcare.growth`  WHO / UK-WHO z-scores (via rcpchgrowth)

Results support, and never replace, a qualified clinical team.
"""

__version__ = "0.1.0"
