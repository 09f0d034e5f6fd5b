def test_import():
    import asyncio_server_spec
    assert asyncio_server_spec.__version__
