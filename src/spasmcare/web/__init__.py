"""The clinic web app: a Django adapter over the domain packages.

Views and models store, fetch and show; every clinical result comes from ``spasmcare.record``,
``spasmcare.measures``, ``spasmcare.report``, ``spasmcare.therapy`` and ``spasmcare.keto``.
Access is decided in one place (:mod:`spasmcare.web.accounts.access`); every change to clinical data
goes through :mod:`spasmcare.web.clinic.audit`, which keeps each earlier version.
"""
