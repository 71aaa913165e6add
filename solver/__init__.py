"""permitpath's pure planning core: typed scenario in, typed plan out (standard library and ortools only)."""
