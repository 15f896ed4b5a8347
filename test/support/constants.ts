export { API_KEY as TEST_API_KEY, API_SECRET_KEY as TEST_API_SECRET } from "@shopify/shopify-api/test-helpers";
