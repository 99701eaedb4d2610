"""Settings: the parameter files of a period (shared defaults and one file per period) as
one validated :class:`~account_analysis.settings.parameters.Settings`."""
