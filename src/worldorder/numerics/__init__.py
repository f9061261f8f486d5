"""Shared numerical routines, one algorithm per module (pure functions, equations in the
docstrings):

* :func:`maximise_scalar` (:mod:`worldorder.numerics.scalar_max`): a bounded scalar maximiser
  for functions that need not be concave: a grid scan, then Brent's method on the best bracket;
* :func:`fd_gradient` (:mod:`worldorder.numerics.gradient`): a finite-difference gradient with a
  documented step and accuracy, one-sided at a bound.

Every optimal tariff, best response, retaliation, coalition rate and bargaining threat in
worldorder is searched with these.
"""

from worldorder.numerics.gradient import FD_STEP, fd_gradient
from worldorder.numerics.scalar_max import ScalarMaximum, maximise_scalar, search_grid

__all__ = ["FD_STEP", "ScalarMaximum", "fd_gradient", "maximise_scalar", "search_grid"]
