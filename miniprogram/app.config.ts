export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/complaint-new/index',
    'pages/report-new/index',
    'pages/complaints/index',
    'pages/case/index',
    'pages/verify/index',
    'pages/me/index',
    'pages/privacy/index',
  ],
  window: {
    // Also makes the H5 preview draw a title bar like the mini programs do.
    navigationStyle: 'default',
    navigationBarTitleText: '消费者投诉举报',
    navigationBarBackgroundColor: '#c8161d',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f4f5f7',
    backgroundTextStyle: 'dark',
  },
});
