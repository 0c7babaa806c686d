export default definePageConfig({ navigationBarTitleText: '消费者投诉举报' });
