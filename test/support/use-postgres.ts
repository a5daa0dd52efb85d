// Runs before each test file of the e2e-postgres project: the suites pick PostgreSQL databases.
process.env.MAITRED_TEST_DB = 'postgres';
