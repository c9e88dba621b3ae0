// Types of the aws-sdk-client-mock matchers that jest.config.js installs for every test.
import 'aws-sdk-client-mock-jest';
