"""Uncertainty sweeps: a scenario solved over drawn or gridded parameters and noisy data.

* :mod:`~worldorder.sweeps.spec`: ``--param`` and ``--noise`` specifications;
* :mod:`~worldorder.sweeps.design`: the samples and their seeded draws;
* :mod:`~worldorder.sweeps.solve`: solving samples (a pure function of the plan and sample);
* :mod:`~worldorder.sweeps.run`: a sweep as a resumable run of the run store;
* :mod:`~worldorder.sweeps.bands`: percentile bands and the tornado chart's ranking;
* :mod:`~worldorder.sweeps.dask_backend`: the ``dask`` executor backend.

Layer: above :mod:`worldorder.runs`, below :mod:`worldorder.reports`.
"""
